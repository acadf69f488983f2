// The typed operations and their types alone, without the client: what a browser bundle imports.
export * from "./generated/graphql.js";
