/** A failed API call, as the console shows it: the server's message, code and request id. */
export class ApiProblem extends Error {
  override readonly name = "ApiProblem";

  constructor(
    message: string,
    /** The GraphQL `extensions.code`, or `NETWORK` / `HTTP_<status>` when no GraphQL answer came. */
    readonly code: string,
    /** The `x-request-id` of the answer, to find the server's log line. */
    readonly requestId: string | null,
  ) {
    super(message);
  }

  /** The token is unknown, expired or revoked: the user must sign in again. */
  get signedOut(): boolean {
    return this.code === "UNAUTHENTICATED";
  }
}
