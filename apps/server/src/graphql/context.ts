/** What every resolver receives: filled in by the server's GraphQL route. */
export interface RequestContext {
  requestId: string;
}
