import type { Caller, SecretsService } from "../service/contract.js";
import type { ReadBudget } from "../service/read-budget.js";

/** What every resolver receives: filled in by the server's GraphQL route for each request. */
export interface RequestContext {
  readonly requestId: string;
  /** The authenticated caller; undefined when the request carried no token. */
  readonly caller: Caller | undefined;
  readonly service: SecretsService;
  /**
   * True when the request carried a well-formed token that the service did not accept (unknown,
   * expired or revoked), so resolvers can say so instead of asking for a token.
   */
  readonly tokenRejected?: boolean;
  /** What the request may still read: set by the engine for a request that reads values. */
  readonly readBudget?: ReadBudget;
}
