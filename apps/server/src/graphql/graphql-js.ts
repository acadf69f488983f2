// graphql ships CommonJS (index.js) and ESM (index.mjs) builds. graphql-jit always loads
// index.js, and a schema built by one copy is rejected by the other ("from another module or
// realm"), so the server takes graphql from that same file whatever resolves "graphql" (test
// runners and bundlers may pick index.mjs).
export * from "graphql/index.js";
