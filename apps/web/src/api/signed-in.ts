import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import type { MeQuery } from "@hush/graphql/documents";
import type { Permission } from "@hush/schema/permissions";
import { createContext } from "preact";
import { useContext } from "preact/hooks";

/** Who is signed in, and how to call the API as them. */
export interface SignedIn {
  readonly me: MeQuery["me"];
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
