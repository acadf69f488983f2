import {
  CompareEnvironmentsDocument,
  CopySecretsDocument,
  type CopySecretsMutation,
  CreateEnvironmentDocument,
  DeleteEnvironmentDocument,
  SetDefaultEnvironmentDocument,
} from "@hush/graphql/documents";
import { useCallback, useState } from "preact/hooks";
import {
  type Comparison,
  comparisonSummary,
  copyableNames,
  differenceLabel,
  isCopyable,
} from "../api/comparison.js";
import { mayManageEnvironments } from "../api/manage-environments.js";
import { type Environment, useSignedIn } from "../api/signed-in.js";
import { ConfirmDialog } from "../ui/confirm-dialog.js";
import { DataTable, RowAction } from "../ui/data-table.js";
import { ProblemBanner } from "../ui/problem-banner.js";
import { navigate } from "../ui/route.js";
import { useLoad } from "../ui/use-load.js";
import { When } from "../ui/when.js";

type Copied = CopySecretsMutation["copySecrets"];

/**
 * Two environments side by side, name by name (never a value), with promotion from one to the
 * other on the server; then the tenant's environments, which a TENANT_ADMIN creates, deletes
 * and chooses the default of. `from` and `to` come from the route, so a comparison can be linked.
 */
export function EnvironmentsPage(props: { from: string | null; to: string | null }) {
  const session = useSignedIn();
  const names = (session.environments ?? []).map((env) => env.name);
  const from = props.from ?? session.environment;
  const to = props.to ?? names.find((name) => name !== from) ?? null;
  const choose = (next: { from: string; to: string | null }) =>
    navigate({ page: "environments", env: session.environment, ...next });

  return (
    <section aria-labelledby="environments-title">
      <h1 id="environments-title">Environments</h1>
      <section class="panel" aria-labelledby="compare-title">
        <h2 id="compare-title">Compare and promote</h2>
        <div class="toolbar">
          <div>
            <label for="compare-from">From</label>
            <select
              id="compare-from"
              value={from}
              onChange={(event) => choose({ from: event.currentTarget.value, to })}
            >
              <EnvironmentOptions names={names} chosen={from} />
            </select>
          </div>
          <div>
            <label for="compare-to">To</label>
            <select
              id="compare-to"
              value={to ?? ""}
              onChange={(event) => choose({ from, to: event.currentTarget.value })}
            >
              {to === null && <option value="">Choose an environment</option>}
              <EnvironmentOptions names={names} chosen={to} />
            </select>
          </div>
        </div>
        {session.environments === null ? (
          <p class="loading">Reading the environments…</p>
        ) : to === null ? (
          <p>There is one environment only: create another to compare with.</p>
        ) : to === from ? (
          <p>Choose two different environments.</p>
        ) : (
          <Compare key={`${from}\n${to}`} from={from} to={to} />
        )}
      </section>
      <EnvironmentList />
    </section>
  );
}

function EnvironmentOptions({ names, chosen }: { names: string[]; chosen: string | null }) {
  // The chosen name is offered even when the list lacks it (not read yet, or since deleted).
  const all = chosen === null || names.includes(chosen) ? names : [chosen, ...names];
  return (
    <>
      {all.map((name) => (
        <option key={name} value={name}>
          {name}
        </option>
      ))}
    </>
  );
}

/** One comparison, its table of names, and promotion of the names chosen from → to. */
function Compare({ from, to }: { from: string; to: string }) {
  const session = useSignedIn();
  const canCopy = session.may("writeSecrets");
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [overwrite, setOverwrite] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [result, setResult] = useState<Copied | null>(null);

  const load = useCallback(
    async () => (await session.call(CompareEnvironmentsDocument, { from, to })).compareEnvironments,
    [session, from, to],
  );
  const { data: comparison, problem, setProblem, reload } = useLoad<Comparison>(load);
  const copyable = comparison === null ? [] : copyableNames(comparison.secrets);
  // Only names that can still be copied count, once the comparison is read again.
  const chosen = copyable.filter((name) => selected.has(name));
  const differentChosen =
    comparison?.secrets.some((s) => s.status === "DIFFERENT" && selected.has(s.name)) ?? false;

  function toggle(name: string, on: boolean) {
    const next = new Set(selected);
    if (on) next.add(name);
    else next.delete(name);
    setSelected(next);
  }

  async function copy() {
    setConfirming(false);
    try {
      const { copySecrets } = await session.call(CopySecretsDocument, {
        from,
        to,
        names: chosen,
        overwrite,
      });
      setResult(copySecrets);
      setSelected(new Set());
      setProblem(null);
      reload();
      session.reloadEnvironments();
    } catch (error) {
      setProblem(error);
    }
  }

  return (
    <>
      <ProblemBanner problem={problem} />
      {comparison !== null && (
        <p id="compare-summary" aria-live="polite">
          {comparisonSummary(comparison)}
        </p>
      )}
      {result !== null && <CopyResult result={result} to={to} />}
      {canCopy && copyable.length > 0 && (
        <div class="promote-bar">
          <button type="button" onClick={() => setSelected(new Set(copyable))}>
            Select all missing or different ({copyable.length})
          </button>
          <button
            type="button"
            disabled={selected.size === 0}
            onClick={() => setSelected(new Set())}
          >
            Clear selection
          </button>
          <label class="inline">
            <input
              type="checkbox"
              checked={overwrite}
              onChange={(event) => setOverwrite(event.currentTarget.checked)}
            />
            Overwrite names {to} holds already
          </label>
          <button
            type="button"
            class="primary"
            disabled={chosen.length === 0}
            onClick={() => setConfirming(true)}
          >
            Copy {chosen.length} to {to}
          </button>
        </div>
      )}
      {comparison !== null && comparison.secrets.length > 0 && (
        <DataTable
          label="Comparison table"
          caption={`Secrets of ${from} compared with ${to}`}
          columns={[canCopy && "Copy", "Name", "Status"]}
        >
          {comparison.secrets.map((secret) => (
            <tr key={secret.name} class={`difference-${secret.status.toLowerCase()}`}>
              {canCopy && (
                <td data-label="Copy">
                  {!isCopyable(secret.status) ? (
                    "—"
                  ) : (
                    <input
                      type="checkbox"
                      aria-label={`Copy ${secret.name} to ${to}`}
                      checked={selected.has(secret.name)}
                      onChange={(event) => toggle(secret.name, event.currentTarget.checked)}
                    />
                  )}
                </td>
              )}
              <th scope="row">{secret.name}</th>
              <td data-label="Status">{differenceLabel(secret.status, from, to)}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {confirming && (
        <ConfirmDialog
          title={`Copy ${chosen.length} ${chosen.length === 1 ? "secret" : "secrets"} from ${from} to ${to}?`}
          confirmLabel={`Copy to ${to}`}
          danger={overwrite && differentChosen}
          onCancel={() => setConfirming(false)}
          onConfirm={copy}
        >
          <p>
            {namesText(chosen)}: the server copies their current values from <strong>{from}</strong>{" "}
            to <strong>{to}</strong>; they are never sent to this browser.
          </p>
          <p>
            {overwrite
              ? `A name ${to} holds already gets a new version there with ${from}'s value; runs in ${to} read it from now on.`
              : `A name ${to} holds already is skipped and keeps its value.`}
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

/** Names for a sentence: the first ten, then how many more. */
function namesText(names: readonly string[]): string {
  const shown = names.slice(0, 10).join(", ");
  return names.length > 10 ? `${shown} and ${names.length - 10} more` : shown;
}

function CopyResult({ result, to }: { result: Copied; to: string }) {
  return (
    <div class="panel copy-result" role="status">
      <p>
        {result.copied.length === 0
          ? `Nothing was copied to ${to}.`
          : `Copied to ${to}: ${result.copied.map((s) => `${s.name} (version ${s.version})`).join(", ")}.`}
      </p>
      {result.skipped.length > 0 && (
        <p>
          Skipped, as {to} holds them already: {result.skipped.join(", ")}.
        </p>
      )}
    </div>
  );
}

type Pending =
  | { kind: "delete"; env: Environment }
  | { kind: "default"; env: Environment }
  | { kind: "none" };

/** The tenant's environments; a TENANT_ADMIN also creates, deletes and picks the default. */
function EnvironmentList() {
  const session = useSignedIn();
  const admin = mayManageEnvironments(session.me.role);
  const [name, setName] = useState("");
  const [status, setStatus] = useState("");
  const [problem, setProblem] = useState<unknown>(null);
  const [pending, setPending] = useState<Pending>({ kind: "none" });
  const environments = session.environments;

  async function act(run: () => Promise<string>) {
    setPending({ kind: "none" });
    setProblem(null);
    try {
      setStatus(await run());
      session.reloadEnvironments();
    } catch (error) {
      setStatus("");
      setProblem(error);
    }
  }

  const create = (event: Event) => {
    event.preventDefault();
    const wanted = name.trim();
    act(async () => {
      await session.call(CreateEnvironmentDocument, { name: wanted });
      setName("");
      return `Created ${wanted}.`;
    });
  };

  const remove = (env: Environment) =>
    act(async () => {
      // The dialog said the secrets go with it; a secret added since then still stops the delete.
      await session.call(DeleteEnvironmentDocument, { name: env.name, force: env.secretCount > 0 });
      if (env.name === session.environment) {
        // The environment in use is gone: show the default instead (never the one deleted).
        const fallback = session.environments?.find((e) => e.isDefault)?.name ?? null;
        navigate({ page: "environments", from: null, to: null, env: fallback });
      }
      return `Deleted ${env.name}.`;
    });

  const makeDefault = (env: Environment) =>
    act(async () => {
      await session.call(SetDefaultEnvironmentDocument, { name: env.name });
      return `${env.name} is now the default.`;
    });

  return (
    <section aria-labelledby="environment-list-title">
      <h2 id="environment-list-title">All environments</h2>
      <p class="status" role="status">
        {status}
      </p>
      <ProblemBanner problem={problem} />
      {environments !== null && (
        <DataTable
          label="Environments table"
          columns={["Name", "Secrets", "Created", admin && "Actions"]}
        >
          {environments.map((env) => (
            <tr key={env.name}>
              <th scope="row">
                {env.name}
                {env.isDefault && <span class="tag"> (default)</span>}
              </th>
              <td data-label="Secrets">{env.secretCount}</td>
              <td data-label="Created">
                <When at={env.created} />
              </td>
              {admin && (
                <td class="row-actions">
                  {!env.isDefault && (
                    <>
                      <RowAction
                        label={`Make default: ${env.name}`}
                        onClick={() => setPending({ kind: "default", env })}
                      >
                        Make default
                      </RowAction>
                      <RowAction
                        label={`Delete ${env.name}`}
                        danger
                        onClick={() => setPending({ kind: "delete", env })}
                      >
                        Delete
                      </RowAction>
                    </>
                  )}
                </td>
              )}
            </tr>
          ))}
        </DataTable>
      )}
      {admin && (
        <form class="panel" onSubmit={create} autoComplete="off" aria-labelledby="new-env-title">
          <h3 id="new-env-title">New environment</h3>
          <label for="new-env-name">Name</label>
          <input
            id="new-env-name"
            value={name}
            required
            spellcheck={false}
            placeholder="e.g. staging"
            onInput={(event) => setName(event.currentTarget.value)}
          />
          <div class="actions">
            <button type="submit" class="primary">
              Create environment
            </button>
          </div>
        </form>
      )}
      {pending.kind === "delete" && (
        <ConfirmDialog
          title={`Delete ${pending.env.name}?`}
          confirmLabel={`Delete ${pending.env.name}`}
          danger
          onCancel={() => setPending({ kind: "none" })}
          onConfirm={() => remove(pending.env)}
        >
          <p>
            {pending.env.secretCount === 0
              ? `${pending.env.name} holds no secrets.`
              : `Its ${pending.env.secretCount} ${pending.env.secretCount === 1 ? "secret is" : "secrets are"} deleted with it, versions and all.`}{" "}
            Runs and tokens that name it stop working.
          </p>
        </ConfirmDialog>
      )}
      {pending.kind === "default" && (
        <ConfirmDialog
          title={`Make ${pending.env.name} the default?`}
          confirmLabel={`Make ${pending.env.name} the default`}
          onCancel={() => setPending({ kind: "none" })}
          onConfirm={() => makeDefault(pending.env)}
        >
          <p>
            Requests that name no environment, Prefect's operations among them, use{" "}
            <strong>{pending.env.name}</strong> from now on (unless their token has one environment
            of its own).
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
