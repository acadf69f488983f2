import { Secret, SecretNotFoundError } from "@hush/core";
import { describe, expect, it } from "vitest";
import { startRealServer } from "../support/real-server.js";
import { useCloud } from "../support/use-cloud.js";

describe("@hush/core against the real hush-server", () => {
  it("reads a value a tenant admin set, with a RUNNER token", async () => {
    const server = await startRealServer();
    const admin = await server.service.authenticate(server.tokens.TENANT_ADMIN);
    await server.service.setSecret(admin!, "DB", { user: "app", password: 'p"w' });
    useCloud(server.url, server.tokens.RUNNER);

    expect(await new Secret("DB").get()).toEqual({ user: "app", password: 'p"w' });
    const missing = await new Secret("NEVER_SET").get().catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(SecretNotFoundError);
    expect((missing as Error).message).toContain('"acme"');
  });
});
