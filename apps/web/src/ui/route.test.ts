import { describe, expect, it } from "vitest";
import { hrefOf, parseRoute, type Route } from "./route.js";

describe("the console's routes", () => {
  it("read the page and its environment from the hash", () => {
    expect(parseRoute("")).toEqual({ page: "secrets", env: null });
    expect(parseRoute("#/secrets?env=staging")).toEqual({ page: "secrets", env: "staging" });
    expect(parseRoute("#/secrets/DB_URL?env=prod")).toEqual({
      page: "versions",
      name: "DB_URL",
      env: "prod",
    });
    expect(parseRoute("#/audit?env=")).toEqual({ page: "audit", env: null });
    expect(parseRoute("#/environments?env=dev&from=dev&to=prod")).toEqual({
      page: "environments",
      from: "dev",
      to: "prod",
      env: "dev",
    });
    expect(parseRoute("#/trusts")).toEqual({ page: "trusts", env: null });
    expect(parseRoute("#/webhooks/0190-ab?env=dev")).toEqual({
      page: "deliveries",
      webhook: "0190-ab",
      env: "dev",
    });
    expect(parseRoute("#/nowhere?env=dev")).toEqual({ page: "secrets", env: "dev" });
  });

  it("write back the hash they were read from", () => {
    const routes: Route[] = [
      { page: "secrets", env: null },
      { page: "tokens", env: "production" },
      { page: "webhooks", env: null },
      { page: "deliveries", webhook: "a/b?c", env: "staging" },
      { page: "versions", name: "A b/c?d&e", env: "staging" },
      { page: "environments", from: "dev", to: null, env: "e&v=x" },
      { page: "environments", from: null, to: null, env: null },
    ];
    for (const route of routes) expect(parseRoute(hrefOf(route))).toEqual(route);
    expect(hrefOf({ page: "audit", env: "staging" })).toBe("#/audit?env=staging");
    expect(hrefOf({ page: "secrets", env: null })).toBe("#/secrets");
  });
});
