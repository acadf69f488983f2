import type { Caller } from "../../service/contract.js";
import { ServiceError } from "../../service/errors.js";
import type { RequestContext } from "../context.js";
import { unauthenticatedMessage } from "../errors/unauthenticated.js";

/** The request's caller; UNAUTHENTICATED, saying how to get a token, when there is none. */
export function requireCaller(context: RequestContext): Caller {
  if (context.caller !== undefined) return context.caller;
  const reason = context.tokenRejected ? "rejected" : "missing";
  throw new ServiceError("UNAUTHENTICATED", unauthenticatedMessage(reason), {
    extensions: { reason },
  });
}
