import {
  type ApiTokenFieldsFragment,
  ApiTokensDocument,
  CreateApiTokenDocument,
  RevokeApiTokenDocument,
} from "@hush/graphql/documents";
import { ROLE_NAMES, ROLES } from "@hush/schema/roles";
import type { Role } from "@hush/schema/types";
import { useCallback, useState } from "preact/hooks";
import { useSignedIn } from "../api/signed-in.js";
import { ConfirmDialog } from "../ui/confirm-dialog.js";
import { DataTable, RowAction } from "../ui/data-table.js";
import { EnvironmentScope } from "../ui/environment-scope.js";
import { ProblemBanner } from "../ui/problem-banner.js";
import { ServerText, serverText } from "../ui/server-text.js";
import { ShownOnce } from "../ui/shown-once.js";
import { useLoad } from "../ui/use-load.js";
import { When } from "../ui/when.js";

/** A token's environments in words: null means every environment, those created later too. */
function environmentsText(environments: readonly string[] | null | undefined): string {
  return environments == null ? "All" : environments.join(", ");
}

/**
 * The tenant's API tokens and the environments each may use: create (shown once), list,
 * revoke. Only offered to roles that may manage them; any other role that comes here sees the
 * server's FORBIDDEN.
 */
export function TokensPage() {
  const session = useSignedIn();
  const allowed = session.may("manageTokens");
  const [status, setStatus] = useState("");
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [revoking, setRevoking] = useState<ApiTokenFieldsFragment | null>(null);

  const load = useCallback(
    async () => (await session.call(ApiTokensDocument, {})).apiTokens,
    [session],
  );
  const {
    data: tokens,
    setData: setTokens,
    problem,
    setProblem,
    reload,
  } = useLoad<ApiTokenFieldsFragment[]>(load);

  async function revoke(token: ApiTokenFieldsFragment) {
    setRevoking(null);
    try {
      await session.call(RevokeApiTokenDocument, { id: token.id });
      // The row says so at once, with the message; the list is then read again.
      const revokedAt = new Date().toISOString();
      setTokens((list) => list?.map((t) => (t.id === token.id ? { ...t, revokedAt } : t)) ?? list);
      setStatus(`Revoked ${serverText(token.name)}: it no longer works.`);
      setProblem(null);
      reload();
    } catch (error) {
      setProblem(error);
    }
  }

  const now = Date.now();
  return (
    <section aria-labelledby="tokens-title">
      <h1 id="tokens-title">Tokens</h1>
      {!allowed ? null : created === null ? (
        <CreateTokenForm
          onCreated={(name, token) => {
            setCreated({ name, token });
            setStatus("");
            reload();
          }}
        />
      ) : (
        <ShownOnce
          id="new-token"
          title={`Token ${serverText(created.name)} created`}
          label="Token"
          value={created.token}
          onDone={() => setCreated(null)}
        />
      )}
      <p class="status" role="status">
        {status}
      </p>
      <ProblemBanner problem={problem} />
      {tokens !== null && (
        <DataTable
          label="Tokens table"
          columns={["Name", "Role", "Environments", "Created", "Expires", "State", "Actions"]}
        >
          {tokens.map((token) => {
            const expired = token.expiresAt != null && Date.parse(token.expiresAt) <= now;
            const active = token.revokedAt == null && !expired;
            const own = token.id === session.me.tokenId;
            return (
              <tr key={token.id}>
                <th scope="row" class="wrap">
                  <ServerText text={token.name} />
                  {own && <span class="tag"> (this session)</span>}
                </th>
                <td data-label="Role">{token.role}</td>
                <td data-label="Environments" class="wrap">
                  {environmentsText(token.environments)}
                </td>
                <td data-label="Created">
                  <When at={token.created} />
                </td>
                <td data-label="Expires">
                  {token.expiresAt == null ? "Never" : <When at={token.expiresAt} />}
                </td>
                <td data-label="State">
                  {token.revokedAt != null ? "Revoked" : expired ? "Expired" : "Active"}
                </td>
                <td class="row-actions">
                  {active && (
                    <RowAction
                      label={`Revoke ${serverText(token.name)}`}
                      danger
                      onClick={() => setRevoking(token)}
                    >
                      Revoke
                    </RowAction>
                  )}
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
      {revoking !== null && (
        <ConfirmDialog
          title={`Revoke ${serverText(revoking.name)}?`}
          confirmLabel={`Revoke ${serverText(revoking.name)}`}
          danger
          onCancel={() => setRevoking(null)}
          onConfirm={() => revoke(revoking)}
        >
          <p>
            Every program using the token{" "}
            <strong>
              <ServerText text={revoking.name} />
            </strong>{" "}
            loses access at once.
            {revoking.id === session.me.tokenId &&
              " It is the token of this session: you will be signed out."}
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function CreateTokenForm({ onCreated }: { onCreated(name: string, token: string): void }) {
  const session = useSignedIn();
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("RUNNER");
  const [expires, setExpires] = useState("");
  // The environments ticked; none ticked means all of them.
  const [scope, setScope] = useState<string[]>([]);
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      // A date means the end of that day in the user's time zone.
      const expiresAt = expires === "" ? null : new Date(`${expires}T23:59:59`).toISOString();
      const { createApiToken } = await session.call(CreateApiTokenDocument, {
        name: name.trim(),
        role,
        expiresAt,
        environments: scope.length === 0 ? null : scope,
      });
      setName("");
      setExpires("");
      setScope([]);
      onCreated(createApiToken.apiToken.name, createApiToken.token);
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="panel" onSubmit={submit} autoComplete="off" aria-labelledby="create-token-title">
      <h2 id="create-token-title">Create a token</h2>
      <div class="fields">
        <div>
          <label for="token-name">Name</label>
          <input
            id="token-name"
            value={name}
            required
            spellcheck={false}
            placeholder="e.g. ci-runner"
            onInput={(event) => setName(event.currentTarget.value)}
          />
        </div>
        <div>
          <label for="token-role">Role</label>
          <select
            id="token-role"
            value={role}
            aria-describedby="token-role-hint"
            onChange={(event) => setRole(event.currentTarget.value as Role)}
          >
            {ROLE_NAMES.map((item) => (
              <option key={item} value={item} title={ROLES[item].description}>
                {item}
              </option>
            ))}
          </select>
          <p id="token-role-hint" class="hint">
            {ROLES[role].description}
          </p>
        </div>
        <div>
          <label for="token-expires">Expires (optional)</label>
          <input
            id="token-expires"
            type="date"
            value={expires}
            onInput={(event) => setExpires(event.currentTarget.value)}
          />
        </div>
      </div>
      <EnvironmentScope id="token-environments" who="The token" scope={scope} onChange={setScope} />
      <ProblemBanner problem={problem} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? "Creating…" : "Create token"}
        </button>
      </div>
    </form>
  );
}
