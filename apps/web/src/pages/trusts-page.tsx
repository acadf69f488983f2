import {
  CreateIdentityTrustDocument,
  DeleteIdentityTrustDocument,
  type IdentityTrustFieldsFragment,
  IdentityTrustsDocument,
} from "@hush/graphql/documents";
import { ROLE_NAMES, ROLES } from "@hush/schema/roles";
import type { Role } from "@hush/schema/types";
import { useCallback, useState } from "preact/hooks";
import { useSignedIn } from "../api/signed-in.js";
import { type ClaimRow, claimsOf, TTL_MINUTES, ttlSecondsOf, ttlText } from "../api/trust-form.js";
import { ConfirmDialog } from "../ui/confirm-dialog.js";
import { DataTable, RowAction } from "../ui/data-table.js";
import { EnvironmentScope } from "../ui/environment-scope.js";
import { ProblemBanner } from "../ui/problem-banner.js";
import { ServerText, serverText } from "../ui/server-text.js";
import { useLoad } from "../ui/use-load.js";

type Trust = IdentityTrustFieldsFragment;

/** The roles a trust may issue tokens of: any but TENANT_ADMIN, as the server insists. */
const TRUST_ROLES = ROLE_NAMES.filter((role) => role !== "TENANT_ADMIN");

/**
 * The tenant's identity trusts: which workloads (a CI job, a cluster's service account) may
 * exchange their issuer's OpenID Connect token for a short-lived API token, and what that token
 * may do. Create, list, delete; only offered to roles that may manage them.
 */
export function TrustsPage() {
  const session = useSignedIn();
  const allowed = session.may("manageTrusts");
  const [status, setStatus] = useState("");
  const [deleting, setDeleting] = useState<Trust | null>(null);

  const load = useCallback(
    async () => (await session.call(IdentityTrustsDocument, {})).identityTrusts,
    [session],
  );
  const { data: trusts, setData, problem, setProblem, reload } = useLoad<Trust[]>(load);

  async function remove(trust: Trust) {
    setDeleting(null);
    try {
      await session.call(DeleteIdentityTrustDocument, { id: trust.id });
      setData((list) => list?.filter((t) => t.id !== trust.id) ?? list);
      setStatus(`Deleted the trust for ${serverText(trust.subject)}.`);
      setProblem(null);
      reload();
    } catch (error) {
      setProblem(error);
    }
  }

  return (
    <section aria-labelledby="trusts-title">
      <h1 id="trusts-title">Trusts</h1>
      <p>
        A workload proves who it is with its issuer's OpenID Connect token (GitHub Actions, a
        Kubernetes cluster…) and gets a short-lived API token: no long-lived token to store in it.
      </p>
      {allowed && (
        <CreateTrustForm
          onCreated={(trust) => {
            setStatus(`Created a trust for ${serverText(trust.subject)}.`);
            reload();
          }}
        />
      )}
      <p class="status" role="status">
        {status}
      </p>
      <ProblemBanner problem={problem} />
      {trusts !== null && trusts.length === 0 && <p>No trusts yet.</p>}
      {trusts !== null && trusts.length > 0 && (
        <DataTable
          label="Trusts table"
          columns={[
            "Subject",
            "Issuer",
            "Audience",
            "Claims",
            "Role",
            "Environments",
            "TTL",
            "Created by",
            "Actions",
          ]}
        >
          {trusts.map((trust) => (
            <tr key={trust.id}>
              <th scope="row" class="wrap">
                <ServerText text={trust.subject} />
              </th>
              <td data-label="Issuer" class="wrap">
                <ServerText text={trust.issuer} />
              </td>
              <td data-label="Audience" class="wrap">
                <ServerText text={trust.audience} />
              </td>
              <td data-label="Claims" class="wrap">
                {trust.claims.length === 0 ? (
                  "—"
                ) : (
                  <ServerText text={trust.claims.map((c) => `${c.name}=${c.value}`).join(", ")} />
                )}
              </td>
              <td data-label="Role">{trust.role}</td>
              <td data-label="Environments" class="wrap">
                {trust.environments == null ? "All" : trust.environments.join(", ")}
              </td>
              <td data-label="TTL">{ttlText(trust.ttlSeconds)}</td>
              <td data-label="Created by" class="wrap">
                <ServerText text={trust.createdBy} />
              </td>
              <td class="row-actions">
                {allowed && (
                  <RowAction
                    label={`Delete the trust for ${serverText(trust.subject)}`}
                    danger
                    onClick={() => setDeleting(trust)}
                  >
                    Delete
                  </RowAction>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {deleting !== null && (
        <ConfirmDialog
          title={`Delete the trust for ${serverText(deleting.subject)}?`}
          confirmLabel="Delete trust"
          danger
          onCancel={() => setDeleting(null)}
          onConfirm={() => remove(deleting)}
        >
          <p>
            Workloads of <ServerText text={deleting.issuer} /> with the subject{" "}
            <strong>
              <ServerText text={deleting.subject} />
            </strong>{" "}
            can no longer exchange their identity tokens. Tokens it issued keep working until they
            expire, at most {ttlText(deleting.ttlSeconds)} from now; revoke them on the Tokens page
            to stop them sooner.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function CreateTrustForm({ onCreated }: { onCreated(trust: Trust): void }) {
  const session = useSignedIn();
  const [issuer, setIssuer] = useState("");
  const [audience, setAudience] = useState("hush");
  const [subject, setSubject] = useState("");
  const [claims, setClaims] = useState<ClaimRow[]>([]);
  const [role, setRole] = useState<Role>("RUNNER");
  const [scope, setScope] = useState<string[]>([]);
  const [ttl, setTtl] = useState(String(TTL_MINUTES.default));
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setProblem(null);
    try {
      // Checked here first: the form speaks in minutes and rows, the API in seconds and inputs.
      const ttlSeconds = ttlSecondsOf(ttl);
      const claimInputs = claimsOf(claims);
      setBusy(true);
      const { createIdentityTrust } = await session.call(CreateIdentityTrustDocument, {
        issuer: issuer.trim(),
        audience: audience.trim(),
        subject: subject.trim(),
        claims: claimInputs,
        role,
        environments: scope.length === 0 ? null : scope,
        ttlSeconds,
      });
      setIssuer("");
      setSubject("");
      setClaims([]);
      setScope([]);
      onCreated(createIdentityTrust);
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  }

  const setClaim = (index: number, change: Partial<ClaimRow>) =>
    setClaims(claims.map((claim, i) => (i === index ? { ...claim, ...change } : claim)));

  return (
    <form class="panel" onSubmit={submit} autoComplete="off" aria-labelledby="create-trust-title">
      <h2 id="create-trust-title">Create a trust</h2>
      <div class="fields">
        <div>
          <label for="trust-issuer">Issuer</label>
          <input
            id="trust-issuer"
            type="url"
            value={issuer}
            required
            spellcheck={false}
            placeholder="https://token.actions.githubusercontent.com"
            onInput={(event) => setIssuer(event.currentTarget.value)}
          />
        </div>
        <div>
          <label for="trust-audience">Audience</label>
          <input
            id="trust-audience"
            value={audience}
            required
            spellcheck={false}
            onInput={(event) => setAudience(event.currentTarget.value)}
          />
        </div>
      </div>
      <label for="trust-subject">Subject</label>
      <input
        id="trust-subject"
        value={subject}
        required
        spellcheck={false}
        placeholder="repo:acme/app:environment:production"
        aria-describedby="trust-subject-hint"
        onInput={(event) => setSubject(event.currentTarget.value)}
      />
      <p id="trust-subject-hint" class="hint">
        The tokens' <code>sub</code> claim, exactly or with <code>*</code> for any run of
        characters.
      </p>
      <fieldset aria-describedby="trust-claims-hint">
        <legend>Claims</legend>
        {claims.map((claim, index) => (
          // Rows have no identity but their place; a removed row shifts the ones after it.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <div class="claim-row" key={index}>
            <input
              aria-label={`Claim ${index + 1} name`}
              value={claim.name}
              spellcheck={false}
              placeholder="repository_owner"
              onInput={(event) => setClaim(index, { name: event.currentTarget.value })}
            />
            <span aria-hidden="true">=</span>
            <input
              aria-label={`Claim ${index + 1} value`}
              value={claim.value}
              spellcheck={false}
              placeholder="acme"
              onInput={(event) => setClaim(index, { value: event.currentTarget.value })}
            />
            <button
              type="button"
              aria-label={`Remove claim ${index + 1}`}
              onClick={() => setClaims(claims.filter((_, i) => i !== index))}
            >
              Remove
            </button>
          </div>
        ))}
        <p id="trust-claims-hint" class="hint">
          Further claims the tokens must carry, each exactly or with <code>*</code>.
        </p>
        <button type="button" onClick={() => setClaims([...claims, { name: "", value: "" }])}>
          Add a claim
        </button>
      </fieldset>
      <div class="fields">
        <div>
          <label for="trust-role">Role of the issued tokens</label>
          <select
            id="trust-role"
            value={role}
            aria-describedby="trust-role-hint"
            onChange={(event) => setRole(event.currentTarget.value as Role)}
          >
            {TRUST_ROLES.map((item) => (
              <option key={item} value={item} title={ROLES[item].description}>
                {item}
              </option>
            ))}
          </select>
          <p id="trust-role-hint" class="hint">
            {ROLES[role].description}
          </p>
        </div>
        <div>
          <label for="trust-ttl">Token lifetime (minutes)</label>
          <input
            id="trust-ttl"
            type="number"
            min={TTL_MINUTES.min}
            max={TTL_MINUTES.max}
            step={1}
            value={ttl}
            required
            aria-describedby="trust-ttl-hint"
            onInput={(event) => setTtl(event.currentTarget.value)}
          />
          <p id="trust-ttl-hint" class="hint">
            {TTL_MINUTES.min} to {TTL_MINUTES.max} (12 hours).
          </p>
        </div>
      </div>
      <EnvironmentScope
        id="trust-environments"
        who="The issued tokens"
        scope={scope}
        onChange={setScope}
      />
      <ProblemBanner problem={problem} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? "Creating…" : "Create trust"}
        </button>
      </div>
    </form>
  );
}
