import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import type { EnvironmentFieldsFragment, MeQuery } from "@hush/graphql/documents";
import type { Permission } from "@hush/schema/permissions";
import { createContext } from "preact";
import { useContext } from "preact/hooks";

export type Environment = EnvironmentFieldsFragment;

/** Who is signed in, in which environment, and how to call the API as them. */
export interface SignedIn {
  readonly me: MeQuery["me"];
  /**
   * The environment the pages show and write: the one the route names, else the token's own
   * (`Me.environment`). Every secret operation the console sends names it.
   */
  readonly environment: string;
  /** The environments this token may use (the default first); null until they are read. */
  readonly environments: readonly Environment[] | null;
  /** Reads the environments again, after one was created, deleted or made the default. */
  reloadEnvironments(): void;
  /** Sends a typed operation with this session's token; an ended session signs out. */
  call<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
  ): Promise<TResult>;
  /** Whether this session's role may do `permission`'s operations. */
  may(permission: Permission): boolean;
  signOut(): void;
}

export const SignedInContext = createContext<SignedIn | null>(null);

export function useSignedIn(): SignedIn {
  const session = useContext(SignedInContext);
  if (session === null) throw new Error("useSignedIn() outside a signed-in console");
  return session;
}
