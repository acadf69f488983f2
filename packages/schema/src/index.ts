export { ErrorCode } from "./error-code.js";
export { schemaPath, typeDefs } from "./schema-sdl.js";
