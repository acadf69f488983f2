// The hostile requests, by category: each a function of the seeded generator that returns the raw
// bytes of one request.
import { SET_SECRET } from "../../support/harness.mjs";
import { gql, rawRequest } from "./raw-http.mjs";

/** One generated hostile request: `{ category, bytes }`. */
export function generators(tokens) {
  const bearer = (token) => `Authorization: Bearer ${token}`;
  const runner = bearer(tokens.runner);
  const admin = bearer(tokens.admin);
  const post = (body, headers = [runner], more = {}) => rawRequest({ body, headers, ...more });
  const fragmentChain = (depth, width) => {
    const parts = [`query { ...F0 }`];
    for (let i = 0; i < depth; i++) {
      const spread = Array.from({ length: width }, () => `...F${i + 1}`).join(" ");
      parts.push(`fragment F${i} on Query { secretNames ${spread} }`);
    }
    parts.push(`fragment F${depth} on Query { secretNames __typename }`);
    return parts.join("\n");
  };
  return {
    "malformed JSON": (r) => {
      const valid = gql('{ secretValue(name: "HOSTILE_0") }');
      return post(
        r.pick([
          () => valid.slice(0, r.int(0, valid.length - 1)),
          () => r.bytes(r.int(1, 200)),
          () => `${valid},`,
          () => valid.replace(":", ""),
          () => "[]",
          () => "null",
          () => '"query"',
          () => "{}",
          () => "[".repeat(r.int(1000, 100_000)),
          () => `{"query": "{ secretNames }", "variables": ${"[".repeat(r.int(100, 50_000))}}`,
          () => "{'query': '{ secretNames }'}",
          () => "",
        ])(),
      );
    },
    "wrong types": (r) =>
      post(
        r.pick([
          () => JSON.stringify({ query: r.pick([42, [], {}, null, true]) }),
          () =>
            JSON.stringify({ query: "{ secretNames }", variables: r.pick(["x", 42, [1], true]) }),
          () => JSON.stringify({ query: "{ secretNames }", operationName: r.pick([5, [], {}]) }),
          () => JSON.stringify({ query: "{ secretNames }", extensions: "x" }),
          () =>
            gql("query($n: String!) { secretValue(name: $n) }", {
              n: r.pick([5, null, [], {}, true]),
            }),
          () => gql(`{ secretValue(name: ${r.pick(["5", "true", "[]", "{}", "null", "FOO"])}) }`),
          () => gql(`{ secretValues(names: ${r.pick(['"x"', "5", "[5]", "[null]", "{}"])}) }`),
          () =>
            gql(
              `{ auditEvents(limit: ${r.pick(["1e10", '"x"', "-1", "0", "2147483648", "1001"])}) { id } }`,
            ),
          () =>
            gql(
              `mutation { setSecret(input: ${r.pick(["5", "{}", '{name: 5, value: "x"}', '{name: "A"}'])}) { success } }`,
            ),
          () =>
            gql(
              `mutation { rollbackSecret(input: {name: "HOSTILE_0", version: ${r.pick(["-1", "0", "1.5", '"1"', "99999999999"])}}) { version } }`,
            ),
          () => gql("{ secretVersions }"),
          () => gql("{ nonexistent }"),
        ])(),
        [r.pick([runner, admin])],
      ),
    "exponential fragment spreads": (r) =>
      post(
        r.pick([
          () => gql(fragmentChain(r.int(10, 40), r.int(2, 4))),
          () => gql("query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }"),
          () =>
            gql(
              `query { ...F0 } ${Array.from({ length: 500 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} }`).join(" ")} fragment F500 on Query { secretNames }`,
            ),
        ])(),
      ),
    "deep queries": (r) => {
      const depth = r.int(50, 20_000);
      return post(
        r.pick([
          () => gql(`{ ${"me { tenant { ".repeat(depth / 2)}id${" }".repeat(depth)} }`),
          () => gql(`{ ${"a { ".repeat(depth)}b${" }".repeat(depth)} }`),
          () => gql(`{ secretValues(names: ${"[".repeat(depth)}"x"${"]".repeat(depth)}) }`),
          () =>
            gql(
              `mutation { setSecret(input: {name: "HOSTILE_DEEP", value: ${"[".repeat(depth)}1${"]".repeat(depth)}}) { success } }`,
            ),
          () =>
            `{"query": "mutation($v: JSON!) { setSecret(input: {name: \\"HOSTILE_DEEP\\", value: $v}) { success } }", "variables": {"v": ${"[".repeat(depth)}1${"]".repeat(depth)}}}`,
        ])(),
        [r.pick([runner, admin])],
      );
    },
    "wide queries and alias bombs": (r) => {
      const n = r.int(100, 20_000);
      return post(
        r.pick([
          () =>
            gql(
              `{ ${Array.from({ length: n }, (_, i) => `a${i}: secretValue(name: "HOSTILE_0")`).join(" ")} }`,
            ),
          () => gql(`{ ${Array.from({ length: n }, (_, i) => `a${i}: secretNames`).join(" ")} }`),
          () => gql(`{ ${"__typename ".repeat(n)} }`),
          () => gql(`{ ${Array.from({ length: n }, () => "secretNames").join(" ")} }`),
          () => gql(`{ secretNames ${"@skip(if: false) ".repeat(n)} }`),
          () =>
            gql(
              Array.from(
                { length: Math.min(n, 2000) },
                (_, i) => `query Q${i} { secretNames }`,
              ).join(" "),
            ),
          () =>
            gql(
              `{ secretValues(names: [${Array.from({ length: n }, (_, i) => `"N${i}"`).join(",")}]) }`,
            ),
          () =>
            gql(
              `query(${Array.from({ length: Math.min(n, 5000) }, (_, i) => `$v${i}: String`).join(" ")}) { secretNames }`,
            ),
        ])(),
      );
    },
    "invalid UTF-8": (r) => {
      const bad = r.pick([
        [0xc3, 0x28],
        [0xff],
        [0xed, 0xa0, 0x80],
        [0xf0, 0x28, 0x8c, 0x28],
        [0x80],
        [0xc0, 0xaf],
      ]);
      const [head, tail] = r.pick([
        ['{"query": "{ secretValue(name: \\"HOSTILE_', '\\") }"}'],
        ['{"query": "{ secretNames }", "variables": {"x": "', '"}}'],
        ['{"query": "', '"}'],
        [
          '{"query": "mutation { setSecret(input: {name: \\"HOSTILE_UTF\\", value: \\"',
          '\\"}) { success } }"}',
        ],
      ]);
      return post(Buffer.concat([Buffer.from(head), Buffer.from(bad), Buffer.from(tail)]), [
        r.pick([runner, admin]),
      ]);
    },
    "NUL bytes": (r) =>
      r.pick([
        () => post(gql('{ secretValue(name: "HOSTILE\u0000_0") }')),
        () => post(gql("{ secretNames \u0000 }")),
        () =>
          post(
            gql(
              'mutation { setSecret(input: {name: "HOSTILE_NUL", value: "a\u0000b"}) { success } }',
            ),
            [admin],
          ),
        () => post(Buffer.from('{"query": "{ secretNames }"}\u0000')),
        () =>
          post(gql("{ secretNames }"), [
            Buffer.from(`Authorization: Bearer ${tokens.runner}\u0000`),
          ]),
        () => post(gql("{ secretNames }"), [Buffer.from("X-Other: a\u0000b"), runner]),
        () =>
          rawRequest({ path: "/graphql\u0000", body: gql("{ secretNames }"), headers: [runner] }),
      ])(),
    "oversized bodies, values and names": (r) =>
      r.pick([
        () => post(gql("{ secretNames }", { pad: "x".repeat(r.int(1024 * 1024, 1200 * 1024)) })),
        () =>
          post(
            gql(SET_SECRET, {
              name: "HOSTILE_BIG",
              value: "v".repeat(r.int(65 * 1024, 200 * 1024)),
            }),
            [admin],
          ),
        () => post(gql(SET_SECRET, { name: "N".repeat(r.int(256, 100_000)), value: "v" }), [admin]),
        () => post(gql(`{ secretValue(name: "${"N".repeat(r.int(256, 100_000))}") }`)),
        () =>
          rawRequest({
            path: `/graphql?${"q".repeat(r.int(20_000, 100_000))}`,
            body: gql("{ secretNames }"),
            headers: [runner],
          }),
        () =>
          post(gql("{ secretNames }"), [runner, `X-Big: ${"h".repeat(r.int(20_000, 100_000))}`]),
        () =>
          post(gql("{ secretNames }"), [
            runner,
            ...Array.from({ length: 3000 }, (_, i) => `X-H${i}: v`),
          ]),
      ])(),
    "__proto__ keys": (r) =>
      r.pick([
        () => post('{"__proto__": {"query": "{ secretNames }"}}'),
        () => post('{"query": "{ secretNames }", "__proto__": {"variables": {}}}'),
        () =>
          post(
            '{"query": "query($n: String!) { secretValue(name: $n) }", "variables": {"__proto__": {"n": "HOSTILE_0"}}}',
          ),
        () =>
          post(
            '{"query": "{ secretNames }", "variables": {"constructor": {"prototype": {"polluted": true}}}}',
          ),
        () =>
          post(
            gql(SET_SECRET, {
              name: "__proto__",
              value: JSON.parse('{"__proto__": {"polluted": true}}'),
            }),
            [admin],
          ),
        () =>
          post(
            gql(
              'mutation { setSecret(input: {name: "HOSTILE_PROTO", value: {__proto__: {polluted: true}}}) { success } }',
            ),
            [admin],
          ),
        () =>
          post(
            gql('{ secretValues(names: ["__proto__", "constructor", "prototype", "toString"]) }'),
          ),
        () => post(gql('{ secretValue(name: "constructor") }')),
        () => post('{"query": "{ secretNames }", "operationName": "__proto__"}'),
      ])(),
    "wrong tokens": (r) =>
      post(gql('{ secretValue(name: "HOSTILE_0") }'), [
        r.pick([
          () => bearer(`hush_${r.bytes(32).toString("base64url")}`),
          () => bearer(r.bytes(24).toString("hex")),
          () => "Authorization: Bearer",
          () => "Authorization: Bearer ",
          () => `Authorization: Basic ${Buffer.from("a:b").toString("base64")}`,
          () => `Authorization: bearer ${tokens.runner.slice(0, -1)}`,
          () => `Authorization: Bearer  ${tokens.runner}x`,
          () => bearer("x".repeat(r.int(1000, 16_000))),
          () => `Authorization: Bearer ${tokens.runner}, Bearer ${tokens.admin}`,
          () => Buffer.concat([Buffer.from("Authorization: Bearer hush_"), r.bytes(20)]),
          () => bearer(tokens.user),
          () => "Authorization: ",
        ])(),
      ]),
    "odd methods, paths and content types": (r) =>
      r.pick([
        () =>
          rawRequest({
            method: r.pick(["PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"]),
            body: gql("{ secretNames }"),
            headers: [runner],
          }),
        () =>
          rawRequest({
            method: "GET",
            path: `/graphql?query=${encodeURIComponent('mutation { deleteSecret(input: {name: "HOSTILE_0"}) { success } }')}`,
            headers: [admin],
          }),
        () =>
          rawRequest({
            method: "GET",
            path: `/graphql?query=${"%".repeat(r.int(1, 50))}`,
            headers: [runner],
          }),
        () =>
          rawRequest({
            path: r.pick([
              "/",
              "/graphql/../graphql",
              "/%2e%2e/",
              "/graphql%00",
              "//graphql",
              "/graphiql",
            ]),
            body: gql("{ secretNames }"),
            headers: [runner],
          }),
        () =>
          rawRequest({
            body: gql("{ secretNames }"),
            headers: [runner],
            contentType: r.pick([
              "text/plain",
              "multipart/form-data; boundary=x",
              "application/json; charset=latin1",
              "application/graphql",
              "*/*",
            ]),
          }),
        () => rawRequest({ body: gql("{ secretNames }"), headers: [runner], contentType: null }),
        () =>
          rawRequest({ body: gql("{ secretNames }"), headers: [runner, "Content-Encoding: gzip"] }),
        () =>
          rawRequest({
            body: gql("{ secretNames }"),
            headers: [runner, "Transfer-Encoding: chunked"],
          }),
      ])(),
  };
}
