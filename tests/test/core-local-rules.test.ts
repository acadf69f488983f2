import { Secret, SecretNotFoundError } from "@hush/core";
import { rejection } from "@hush/test-support";
import { describe, expect, it } from "vitest";
import { startRealServer } from "../support/real-server.js";
import { useCloud } from "../support/use-cloud.js";

// The first case: the README's own example, STRIPE_KEY unset, a RUNNER token and
// use_local_secrets = false. Prefect (and hush before) returned the text "$STRIPE_KEY".
describe('[context.secrets] STRIPE_KEY = "$STRIPE_KEY" with STRIPE_KEY unset, in server mode', () => {
  it("asks the server, which has the value", async () => {
    const server = await startRealServer({ secrets: { STRIPE_KEY: "sk_live_from_server" } });
    useCloud(server.url, server.tokens.RUNNER, {
      extraToml: '[context.secrets]\nSTRIPE_KEY = "$STRIPE_KEY"\n',
    });
    expect(await new Secret("STRIPE_KEY").get()).toBe("sk_live_from_server");
    expect(await Secret.getMany(["STRIPE_KEY"])).toEqual({ STRIPE_KEY: "sk_live_from_server" });
  });

  it("when the server lacks it too, names the tenant, the server, the line and the variable", async () => {
    const server = await startRealServer();
    useCloud(server.url, server.tokens.RUNNER, {
      extraToml: '[context.secrets]\nSTRIPE_KEY = "$STRIPE_KEY"\n',
    });
    const error = await rejection(new Secret("STRIPE_KEY").get());
    expect(error).toBeInstanceOf(SecretNotFoundError);
    expect(error.message).toContain(
      `Secret "STRIPE_KEY" was not found in tenant "acme" on the hush server at ${server.url}.`,
    );
    expect(error.message).toContain(
      'Locally, ~/.hush/config.toml:5 sets it to "$STRIPE_KEY" and STRIPE_KEY is not set.',
    );
    expect(error.message).toContain(
      `Looked in the run context, [context.secrets], then the hush server at ${server.url}, since [cloud] use_local_secrets = false (HUSH__CLOUD__USE_LOCAL_SECRETS). Config file read: ~/.hush/config.toml.`,
    );
  });

  it("uses the variable when it is set, without asking the server", async () => {
    const server = await startRealServer({ secrets: { STRIPE_KEY: "from server" } });
    useCloud(server.url, server.tokens.RUNNER, {
      extraToml: '[context.secrets]\nSTRIPE_KEY = "$STRIPE_KEY"\n',
      env: { STRIPE_KEY: "sk_from_env" },
    });
    expect(await new Secret("STRIPE_KEY").get()).toBe("sk_from_env");
  });
});
