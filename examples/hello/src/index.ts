// The smallest hush program: read one secret, wherever it lives. Locally it comes from
// `[context.secrets]` in ~/.hush/config.toml; with `HUSH__CLOUD__USE_LOCAL_SECRETS=false` it comes
// from the hush server at `[cloud] endpoint`, with the token in `[cloud] api_key`.
import { HushError, Secret } from "@hush/core";

const name = process.argv[2] ?? "HELLO_HUSH";

try {
  const value = await new Secret(name).get();
  console.log(`Secret("${name}").get() → ${JSON.stringify(value)}`);
} catch (error) {
  if (!(error instanceof HushError)) throw error;
  console.error(`hello: ${error.message}`);
  process.exitCode = 1;
}
