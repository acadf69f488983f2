export { type Permission, permissions, type RoleName, roleMay } from "./permissions.js";
export { schemaPath, typeDefs } from "./schema-sdl.js";
