import type { Caller } from "../../service/contract.js";
import { ServiceError } from "../../service/errors.js";
import type { RequestContext } from "../context.js";

const HOW_TO_GET_A_TOKEN =
  "Create one with `hush-server token create --role RUNNER --name NAME` on the server, or ask a tenant admin to create one with the createApiToken mutation.";

/** The request's caller; UNAUTHENTICATED, saying how to get a token, when there is none. */
export function requireCaller(context: RequestContext): Caller {
  if (context.caller !== undefined) return context.caller;
  throw new ServiceError(
    "UNAUTHENTICATED",
    context.tokenRejected
      ? `The API token is unknown, expired or revoked. ${HOW_TO_GET_A_TOKEN}`
      : `This operation needs an API token: send the header "Authorization: Bearer hush_…". ${HOW_TO_GET_A_TOKEN}`,
  );
}
