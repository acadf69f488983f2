// The typed operations and their types alone, without the client: what a browser bundle imports.

// The schema's types the operations are written in (Role, Secret, …), as before.
export type * from "@hush/schema/types";
export * from "./generated/graphql.js";
