// A graphql-codegen plugin: each operation's client method name (the operation's name, starting
// lower-case) and kind, as a table without the documents, for code that must not load them yet.
/** @type {import("@graphql-codegen/plugin-helpers").CodegenPlugin} */
module.exports = {
  plugin(_schema, documents) {
    const lines = [];
    for (const { document } of documents) {
      for (const definition of document?.definitions ?? []) {
        if (definition.kind !== "OperationDefinition" || definition.name === undefined) continue;
        const name = definition.name.value;
        lines.push(`  ${name[0].toLowerCase()}${name.slice(1)}: "${definition.operation}",`);
      }
    }
    return [
      "/** Each operation's method name and kind: what the client's methods are made from. */",
      "export const OPERATION_KINDS = {",
      ...lines,
      "} as const;",
      "",
    ].join("\n");
  },
};
