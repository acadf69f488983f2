import type { Credentials } from "./command-context.js";

/**
 * What the CLI says when the server refuses (or needs) the API token of a command: where the
 * token came from and which command to run, in the CLI's words rather than the API's.
 */
export function tokenRefused(credentials: Credentials): string {
  const server = `The hush server at ${displayEndpoint(credentials.endpoint)}`;
  if (credentials.token === "") {
    return `${server} needs an API token, and none is set for it. Run \`hush login\` (with --endpoint URL for another server), or set HUSH__CLOUD__API_KEY.`;
  }
  return `${server} did not accept the API token from ${credentials.source}: it is unknown, revoked or expired. Run \`hush login\` with a valid token; a tenant admin creates one with \`hush tokens create\`.`;
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
