import { buildSchema, isEnumType, isObjectType, parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import {
  AUDIT_ACTIONS,
  describeAuditSubject,
  describeSecretChange,
  SECRET_CHANGE_ACTIONS,
  schemaPath,
  typeDefs,
} from "./index.js";

const schema = buildSchema(typeDefs);

function errorsOf(document: string) {
  return validate(schema, parse(document)).map((error) => error.message);
}

describe("@hush/schema", () => {
  it("exports the SDL of the file it names", () => {
    expect(schemaPath).toMatch(/schema\.graphql$/);
    expect(typeDefs).toContain("type Query");
  });

  it("lists every AuditAction of the schema in AUDIT_ACTIONS, and nothing else", () => {
    const auditAction = schema.getType("AuditAction");
    if (!isEnumType(auditAction)) throw new Error("AuditAction is not an enum");
    expect([...AUDIT_ACTIONS].sort()).toEqual(
      auditAction
        .getValues()
        .map((v) => v.name)
        .sort(),
    );
  });

  it("lists every SecretChangeAction of the schema in SECRET_CHANGE_ACTIONS, and nothing else", () => {
    const changeAction = schema.getType("SecretChangeAction");
    if (!isEnumType(changeAction)) throw new Error("SecretChangeAction is not an enum");
    expect([...SECRET_CHANGE_ACTIONS].sort()).toEqual(
      changeAction
        .getValues()
        .map((v) => v.name)
        .sort(),
    );
  });

  it("describes a change in one line, with its secret and version when it has them", () => {
    expect(
      describeSecretChange({
        action: "SET",
        name: "DB_URL",
        version: 3,
        environment: "production",
      }),
    ).toBe("SET DB_URL v3 in production");
    expect(describeSecretChange({ action: "CREATE_ENVIRONMENT", environment: "preview" })).toBe(
      "CREATE_ENVIRONMENT in preview",
    );
  });

  it("describes what an audit event is about in one line", () => {
    expect(describeAuditSubject({ secretName: "DB_PASSWORD" })).toBe("DB_PASSWORD");
    expect(describeAuditSubject({ secretNames: ["A", "B"], secretNameCount: 1000 })).toBe(
      "A, B and 998 more",
    );
    expect(describeAuditSubject({ secretNames: ["A", "B"], secretNameCount: 2 })).toBe("A, B");
    expect(describeAuditSubject({ suppressed: true })).toBe("(names not kept)");
    expect(describeAuditSubject({ tokenId: "t-1", tokenName: "ci-job" })).toBe(
      'token "ci-job" (t-1)',
    );
    expect(describeAuditSubject({ tokenId: "t-2", tokenName: null })).toBe("token t-2");
    expect(describeAuditSubject({})).toBe("");
  });

  it("names the trust, the workload and the token of identity events, the webhook of webhook events", () => {
    expect(describeAuditSubject({ trustId: "tr-1" })).toBe("trust tr-1");
    expect(
      describeAuditSubject({
        trustId: "tr-1",
        subject: "repo:acme/app:ref:refs/heads/main",
        tokenId: "t-3",
        tokenName: "gha-acme",
      }),
    ).toBe('subject "repo:acme/app:ref:refs/heads/main" by trust tr-1: token "gha-acme" (t-3)');
    expect(describeAuditSubject({ trustId: "tr-1", subject: "system:sa:ci" })).toBe(
      'subject "system:sa:ci" by trust tr-1',
    );
    expect(describeAuditSubject({ webhookId: "wh-1" })).toBe("webhook wh-1");
  });

  it("accepts the seed document's operations exactly as written", () => {
    expect(
      errorsOf(
        'mutation{\n  setSecret(input: {name: "KEY", value: "VALUE"}){\n    success\n  }\n}',
      ),
    ).toEqual([]);
    expect(errorsOf("query {\n  secret(order_by: { name: asc }) {\n    name\n  }\n}")).toEqual([]);
  });

  it("accepts Prefect 1.x operation names", () => {
    expect(
      errorsOf(`mutation M { set_secret(input: {name: "K", value: {a: 1}}) { success } }
        query Q { secret_names secret_value(name: "K") }`),
    ).toEqual([]);
    expect(errorsOf('mutation { delete_secret(input: {name: "K"}) { success } }')).toEqual([]);
  });

  it("accepts Hasura-style filters and paging on secret", () => {
    expect(
      errorsOf(`query {
        secret(where: {name: {_like: "AWS_%", _in: ["A"], _eq: "B"}},
               order_by: [{updated: desc}, {created: asc}], limit: 10, offset: 5) { name version updated }
      }`),
    ).toEqual([]);
  });

  it("has no value field on Secret, so a value can only be read through secretValue", () => {
    const secret = schema.getType("Secret");
    expect(isObjectType(secret) && Object.keys(secret.getFields())).not.toContain("value");
    expect(errorsOf("query { secret { name value } }")).toHaveLength(1);
  });

  it("describes every type and field", () => {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (
        type.name.startsWith("__") ||
        ["String", "Int", "Boolean", "ID", "Float"].includes(type.name)
      )
        continue;
      if (!type.description) missing.push(type.name);
      if ("getFields" in type) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
