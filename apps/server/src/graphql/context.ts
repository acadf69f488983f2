import type { Caller, SecretsService } from "../service/contract.js";
import type { ReadBudget } from "../service/read-budget.js";

/** What every resolver receives: filled in by the server's GraphQL route for each request. */
export interface RequestContext {
  readonly requestId: string;
  /** The authenticated caller; undefined when the request carried no token. */
  readonly caller: Caller | undefined;
  readonly service: SecretsService;
  /**
   * The client's address, as the server sees it (behind a trusted proxy, the address it
   * forwarded for): what the operations that run without a caller are limited by.
   */
  readonly clientAddress?: string;
  /**
   * True when the request carried a well-formed token that the service did not accept (unknown,
   * expired or revoked), so resolvers can say so instead of asking for a token.
   */
  readonly tokenRejected?: boolean;
  /** What the request may still read: set by the engine for a request that reads values. */
  readonly readBudget?: ReadBudget;
}
