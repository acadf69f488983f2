import { inspect } from "node:util";
import { closedEndpoint, expectNoLeak as expectNoLeakOf, rejection } from "@hush/test-support";
import { describe, expect, it } from "vitest";
import { configure, EnvVarSecret, Secret, withContext } from "../src/index.js";
import { useConfig } from "./helpers.js";

const VALUE = "canary-value-4d1f9a";
const TOKEN = "hush_canary_token_77e0b2";

const expectNoLeak = (error: unknown) => expectNoLeakOf(error, VALUE, TOKEN);

describe("values and tokens never appear in errors", () => {
  it("local misses", async () => {
    useConfig(`[context.secrets]\nOTHER = "${VALUE}"\n`);
    await withContext({ secrets: { RUN: VALUE } }, async () => {
      expectNoLeak(await rejection(new Secret("MISSING").get()));
      expectNoLeak(await rejection(Secret.getMany(["OTHER", "RUN", "MISSING"])));
    });
  });

  it("an unreachable server, and credentials in the endpoint URL", async () => {
    const endpoint = (await closedEndpoint()).replace("http://", `http://user:${TOKEN}@`);
    useConfig("", {
      HUSH__CLOUD__USE_LOCAL_SECRETS: "false",
      HUSH__CLOUD__ENDPOINT: endpoint,
      HUSH__CLOUD__API_KEY: TOKEN,
    });
    const error = await rejection(new Secret("A").get());
    expect(error.message).not.toContain(TOKEN);
  });

  it("a failing cast of an environment variable", async () => {
    configure({ env: { JSON_VAR: `{${VALUE}` } });
    expectNoLeak(await rejection(new EnvVarSecret("JSON_VAR", { cast: JSON.parse }).get()));
    configure();
  });

  it("inspecting a Secret or a redacted value", async () => {
    useConfig(`[context.secrets]\nA = "${VALUE}"\n`);
    const secret = new Secret("A");
    await secret.get();
    const redacted = await secret.getRedacted();
    const shown = [inspect(secret), inspect(redacted), JSON.stringify({ secret, redacted })].join();
    expect(shown).not.toContain(VALUE);
  });
});
