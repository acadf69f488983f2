// How workflow code reads secrets: each read happens when the code runs, never at build time, and
// the same code reads local secrets in development and the server's in production.
import { EnvVarSecret, HushError, Secret } from "@hush/core";
import { slackNotifier } from "./slack-notifier.js";

// A task: reads its token when it runs.
export async function fetchOrders(api: URL): Promise<unknown> {
  const token = await new Secret("SHOP_API_TOKEN").getString();
  const response = await fetch(api, { headers: { authorization: `Bearer ${token}` } });
  return response.json();
}

// A state handler: reports failed runs to Slack.
export const onStateChange = slackNotifier({ onlyStates: ["Failed"] });

// An on-failure callback: the key is redacted, so logging it by mistake prints <redacted>.
export async function onFailure(
  flowName: string,
  page: (key: string, text: string) => Promise<void>,
) {
  const key = await new Secret("PAGER_ROUTING_KEY").getRedacted();
  await page(String(key.value()), `${flowName} failed`);
}

// A result handler: reads the storage token on every read (it may have been rotated); writes are refused.
export const resultHandler = {
  async read(location: string): Promise<unknown> {
    const { token } = (await new Secret("RESULTS_STORAGE").get()) as { token: string };
    const bucket = await new EnvVarSecret("RESULTS_BUCKET", { required: true }).get();
    const response = await fetch(new URL(location, bucket), { headers: { authorization: token } });
    return response.json();
  },
  async write(): Promise<never> {
    throw new HushError("READ_ONLY", "Secret results are read-only: store results elsewhere.");
  },
};
