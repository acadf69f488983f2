import type {
  CreateApiTokenInput,
  DeleteSecretInput,
  QueryAuditEventsArgs,
  QuerySecretArgs,
  RevokeApiTokenInput,
  RollbackSecretInput,
  SetSecretInput,
} from "../generated/graphql.js";
import { fakeError } from "./fake-error.js";
import type { FakeCaller, FakeTenant } from "./fake-tenant.js";

/** What the fake's resolvers know about the request. */
export interface FakeContext {
  readonly caller: FakeCaller | undefined;
  /** Why there is no caller: no Authorization header, or a token the tenant does not know. */
  readonly authFailure: "missing" | "invalid" | undefined;
}

type Resolver = (args: never, context: FakeContext) => unknown;

/**
 * The root value for `execute`: one function per Query and Mutation field, each taking the
 * field's arguments. Prefect 1.x's snake_case fields share their camelCase twin's function.
 */
export function fakeRootValue(tenant: FakeTenant): Record<string, Resolver> {
  const setSecret = ({ input }: { input: SetSecretInput }, context: FakeContext) => ({
    success: true,
    ...tenant.setSecret(caller(context), input.name, input.value),
  });
  const deleteSecret = ({ input }: { input: DeleteSecretInput }, context: FakeContext) => {
    tenant.deleteSecret(caller(context), input.name);
    return { success: true };
  };
  const secretNames = (_: unknown, context: FakeContext) => tenant.secretNames(caller(context));
  const secretValue = ({ name }: { name: string }, context: FakeContext) =>
    tenant.secretValue(caller(context), name);

  return {
    secret: (args: QuerySecretArgs, context: FakeContext) =>
      tenant.listSecrets(caller(context), args),
    secretNames,
    secret_names: secretNames,
    secretValue,
    secret_value: secretValue,
    secretValues: ({ names }: { names: string[] }, context: FakeContext) =>
      tenant.secretValues(caller(context), names),
    secretVersions: ({ name }: { name: string }, context: FakeContext) =>
      tenant.secretVersions(caller(context), name),
    apiTokens: (_: unknown, context: FakeContext) => tenant.apiTokens(caller(context)),
    auditEvents: (args: QueryAuditEventsArgs, context: FakeContext) =>
      tenant.auditEvents(caller(context), args),
    me: (_: unknown, context: FakeContext) => tenant.me(caller(context)),

    setSecret,
    set_secret: setSecret,
    deleteSecret,
    delete_secret: deleteSecret,
    rollbackSecret: ({ input }: { input: RollbackSecretInput }, context: FakeContext) => ({
      success: true,
      ...tenant.rollbackSecret(caller(context), input.name, input.version),
    }),
    createApiToken: ({ input }: { input: CreateApiTokenInput }, context: FakeContext) =>
      tenant.createApiToken(caller(context), input),
    revokeApiToken: ({ input }: { input: RevokeApiTokenInput }, context: FakeContext) => {
      tenant.revokeApiToken(caller(context), input.id);
      return { success: true };
    },
  };
}

function caller(context: FakeContext): FakeCaller {
  if (context.caller !== undefined) return context.caller;
  throw fakeError(
    "UNAUTHENTICATED",
    context.authFailure === "invalid"
      ? "The API token is unknown, revoked or expired. Ask an admin of the tenant for a new one " +
          "(`hush-server token create` or the createApiToken mutation)."
      : 'This request needs an API token: send the header "Authorization: Bearer <token>". ' +
          "An admin creates one with `hush-server token create` or the createApiToken mutation.",
  );
}
