import { apiTokenAdvice } from "@hush/core";
import type { Credentials } from "./command-context.js";

/**
 * What the CLI says when the server refuses (or needs) the API token of a command: where the
 * token came from, then `@hush/core`'s advice on setting one, plus the CLI's own flag.
 */
export function tokenRefused(credentials: Credentials): string {
  const server = `The hush server at ${displayEndpoint(credentials.endpoint)}`;
  if (credentials.identity !== undefined) {
    return `${server} did not accept the token exchanged for ${credentials.source}, even after exchanging it again. Ask a tenant admin to check the identity trust (\`hush trust list\`), or ${apiTokenAdvice().replace(/^./, (c) => c.toLowerCase())}`;
  }
  if (credentials.token === "") {
    return `${server} needs an API token, and none is set for it. ${apiTokenAdvice()} To log in to another server, add --endpoint URL.`;
  }
  return `${server} did not accept the API token from ${credentials.source}: it is unknown, revoked or expired. ${apiTokenAdvice()}`;
}

/** The endpoint without user or password, which must not reach a message. */
export function displayEndpoint(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    url.username = "";
    url.password = "";
    return url.href.replace(/\/$/, "");
  } catch {
    return endpoint;
  }
}
