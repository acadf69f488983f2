import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The absolute path of `schema.graphql`, hush's single GraphQL schema. */
export const schemaPath: string = fileURLToPath(new URL("../schema.graphql", import.meta.url));

/** The schema's SDL, as written in `schema.graphql`. */
export const typeDefs: string = readFileSync(schemaPath, "utf8");
