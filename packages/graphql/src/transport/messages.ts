// Every message a user may see from the client, in one place: each says what happened, where,
// and what to do next, in the client's terms (its options, the server, HTTP). Where a program
// got the endpoint and the token from (a config file, the environment, a login) is for that
// program's own layer to add. None of them is given a value or a token.

/** Where a request went, as the messages name it. */
export interface Where {
  /** The operation's name, or undefined. */
  readonly operationName: string | undefined;
  /** The GraphQL URL. */
  readonly url: string;
  /** The server's base URL, as configured. */
  readonly base: string;
}

const HOW_TO_SET_TOKEN =
  "Give the client a valid one as apiKey; an admin creates tokens with " +
  "`hush-server token create` or the createApiToken mutation.";

function what(where: Where): string {
  return where.operationName === undefined ? "a request" : where.operationName;
}

function isItRunning(where: Where): string {
  return `Is hush-server running at ${where.base}? Start it with \`hush-server start\`.`;
}

function attemptsNote(attempts: number): string {
  return attempts > 1 ? ` (tried ${attempts} times)` : "";
}

export function unauthenticatedMessage(where: Where, tokenSent: boolean): string {
  return tokenSent
    ? `The hush server at ${where.url} rejected the API token for ${what(where)}: it is invalid, ` +
        `revoked or expired. ${HOW_TO_SET_TOKEN}`
    : `The hush server at ${where.url} needs an API token for ${what(where)}, and none is set. ` +
        HOW_TO_SET_TOKEN;
}

export function forbiddenHttpMessage(where: Where): string {
  return (
    `The hush server at ${where.url} refused ${what(where)} (HTTP 403): this token's role may ` +
    "not do it. Ask an admin of the tenant for a token with the role it needs."
  );
}

export function schemaMismatchHint(): string {
  return (
    " The client and the server disagree on the API: update @hush/graphql and hush-server " +
    "to matching versions."
  );
}

export function networkMessage(where: Where, cause: string, attempts: number): string {
  return (
    `Could not reach the hush server at ${where.url} for ${what(where)} (${cause})` +
    `${attemptsNote(attempts)}. ${isItRunning(where)} Or set [cloud] endpoint to where it runs.`
  );
}

export function timeoutMessage(where: Where, timeoutMs: number, attempts: number): string {
  return (
    `The hush server at ${where.url} did not answer ${what(where)} within ${timeoutMs} ms` +
    `${attemptsNote(attempts)}. ${isItRunning(where)} If it is only slow, raise timeoutMs.`
  );
}

export function httpErrorMessage(
  where: Where,
  status: number,
  statusText: string,
  attempts: number,
): string {
  const text = statusText === "" ? "" : ` ${statusText}`;
  return (
    `The hush server at ${where.url} answered ${what(where)} with HTTP ${status}${text}` +
    `${attemptsNote(attempts)}, not a GraphQL response. ${isItRunning(where)} If a proxy is in ` +
    "front of it, check the proxy too."
  );
}

export function badResponseMessage(
  where: Where,
  status: number | undefined,
  contentType: string | null | undefined,
): string {
  const answer =
    status === undefined ? "" : ` (HTTP ${status}, ${contentType || "no content type"})`;
  return (
    `The server at ${where.url} answered ${what(where)} with something that is not a hush ` +
    `GraphQL response${answer}. Check that [cloud] endpoint is hush-server's base URL, ` +
    "e.g. http://127.0.0.1:4200."
  );
}
