import { describe, expect, it } from "vitest";
import { ServiceError } from "../../service/errors.js";
import { toListSecretsQuery } from "./list-secrets-query.js";

describe("toListSecretsQuery", () => {
  it("keeps the order of order_by objects and sorts by name when none is given", () => {
    expect(
      toListSecretsQuery({ order_by: [{ updated: "desc" }, { name: "asc" }, {}] }).orderBy,
    ).toEqual([
      { field: "updated", direction: "desc" },
      { field: "name", direction: "asc" },
    ]);
    expect(toListSecretsQuery({})).toEqual({ orderBy: [] });
  });

  it("passes filters and paging on", () => {
    expect(
      toListSecretsQuery({ where: { name: { _like: "A%", _in: ["A1"] } }, limit: 10, offset: 5 }),
    ).toEqual({
      orderBy: [],
      where: { name: { _eq: undefined, _like: "A%", _in: ["A1"] } },
      limit: 10,
      offset: 5,
    });
  });

  it.each([
    [{ limit: 0 }],
    [{ limit: 1001 }],
    [{ offset: -1 }],
    [{ order_by: [{ name: "asc" as const, created: "desc" as const }] }],
    [{ where: { name: { _in: Array.from({ length: 1001 }, (_, i) => `N${i}`) } } }],
  ])("refuses %j with BAD_USER_INPUT", (args) => {
    expect(() => toListSecretsQuery(args)).toThrow(ServiceError);
    try {
      toListSecretsQuery(args);
    } catch (error) {
      expect((error as ServiceError).code).toBe("BAD_USER_INPUT");
    }
  });
});
