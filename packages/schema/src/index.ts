export { schemaPath, typeDefs } from "./schema-sdl.js";
