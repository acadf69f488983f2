import { DeleteSecretDocument, SecretsDocument, type SecretsQuery } from "@hush/graphql/documents";
import { useCallback, useEffect, useState } from "preact/hooks";
import { useSignedIn } from "../api/signed-in.js";
import { ConfirmDialog } from "../ui/confirm-dialog.js";
import { DataTable, RowAction } from "../ui/data-table.js";
import { containsPattern } from "../ui/like-pattern.js";
import { Pager } from "../ui/pager.js";
import { ProblemBanner } from "../ui/problem-banner.js";
import { hrefOf } from "../ui/route.js";
import { SecretForm } from "../ui/secret-form.js";
import { ServerText } from "../ui/server-text.js";
import { useDebounced } from "../ui/use-debounced.js";
import { useLoad } from "../ui/use-load.js";
import { When } from "../ui/when.js";

const PAGE_SIZE = 50;

type Secret = SecretsQuery["secret"][number];
type Editing = { kind: "none" } | { kind: "new" } | { kind: "update"; name: string };

/** The tenant's secrets, a page at a time, filtered by name as the user types. */
export function SecretsPage() {
  const session = useSignedIn();
  const canWrite = session.may("writeSecrets");
  const [filter, setFilter] = useState("");
  const settledFilter = useDebounced(filter.trim(), 200);
  const [offset, setOffset] = useState(0);
  const [status, setStatus] = useState("");
  const [editing, setEditing] = useState<Editing>({ kind: "none" });
  const [deleting, setDeleting] = useState<string | null>(null);

  // A new filter starts again at the first page.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the filter is the trigger
  useEffect(() => setOffset(0), [settledFilter]);

  // One more row than a page: whether there is a next page.
  const load = useCallback(
    async () =>
      (
        await session.call(SecretsDocument, {
          where: settledFilter === "" ? null : { name: { _like: containsPattern(settledFilter) } },
          orderBy: [{ name: "asc" }],
          limit: PAGE_SIZE + 1,
          offset,
          environment: session.environment,
        })
      ).secret,
    [session, settledFilter, offset],
  );
  const { data, problem, setProblem, reload } = useLoad<Secret[]>(load);
  const rows = data?.slice(0, PAGE_SIZE) ?? null;
  const hasMore = (data?.length ?? 0) > PAGE_SIZE;

  async function remove(name: string) {
    setDeleting(null);
    try {
      await session.call(DeleteSecretDocument, { name, environment: session.environment });
      setStatus(`Deleted ${name}. Its versions are kept and it can be set again.`);
      setProblem(null);
      reload();
    } catch (error) {
      setProblem(error);
    }
  }

  const first = offset + 1;
  const last = offset + (rows?.length ?? 0);
  return (
    <section aria-labelledby="secrets-title">
      <div class="page-head">
        <h1 id="secrets-title">Secrets</h1>
        {canWrite && editing.kind === "none" && (
          <button type="button" class="primary" onClick={() => setEditing({ kind: "new" })}>
            New secret
          </button>
        )}
      </div>
      {editing.kind !== "none" && (
        <SecretForm
          name={editing.kind === "update" ? editing.name : undefined}
          onCancel={() => setEditing({ kind: "none" })}
          onSaved={(name, version) => {
            setEditing({ kind: "none" });
            setStatus(`Saved ${name} as version ${version}.`);
            setProblem(null);
            reload();
          }}
        />
      )}
      <p class="status" role="status">
        {status}
      </p>
      <ProblemBanner problem={problem} />
      <div class="toolbar">
        <label for="secret-filter">Filter by name</label>
        <input
          id="secret-filter"
          type="search"
          value={filter}
          spellcheck={false}
          autoComplete="off"
          placeholder="e.g. DB_"
          onInput={(event) => setFilter(event.currentTarget.value)}
        />
      </div>
      {rows !== null && rows.length === 0 && (
        <p>
          {settledFilter === "" ? "No secrets yet." : `No secret name contains “${settledFilter}”.`}
        </p>
      )}
      {rows !== null && rows.length > 0 && (
        <DataTable
          label="Secrets table"
          caption={`Secrets ${first} to ${last}`}
          columns={["Name", "Version", "Updated", "Updated by", canWrite && "Actions"]}
        >
          {rows.map((secret) => (
            <tr key={secret.name}>
              <th scope="row">
                <a
                  href={hrefOf({ page: "versions", name: secret.name, env: session.environment })}
                  title="Versions"
                >
                  {secret.name}
                </a>
              </th>
              <td data-label="Version">{secret.version}</td>
              <td data-label="Updated">
                <When at={secret.updated} />
              </td>
              <td data-label="Updated by" class="wrap">
                <ServerText text={secret.updatedBy} />
              </td>
              {canWrite && (
                <td class="row-actions">
                  <RowAction
                    label={`Set value for ${secret.name}`}
                    onClick={() => setEditing({ kind: "update", name: secret.name })}
                  >
                    Set value
                  </RowAction>
                  <RowAction
                    label={`Delete ${secret.name}`}
                    danger
                    onClick={() => setDeleting(secret.name)}
                  >
                    Delete
                  </RowAction>
                </td>
              )}
            </tr>
          ))}
        </DataTable>
      )}
      <Pager
        label="Secrets pages"
        first={first}
        last={last}
        hasPrevious={offset > 0}
        hasNext={hasMore}
        onPrevious={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
        onNext={() => setOffset(offset + PAGE_SIZE)}
      />
      {deleting !== null && (
        <ConfirmDialog
          title={`Delete ${deleting}?`}
          confirmLabel={`Delete ${deleting}`}
          danger
          onCancel={() => setDeleting(null)}
          onConfirm={() => remove(deleting)}
        >
          <p>
            The secret <strong>{deleting}</strong> of <strong>{session.environment}</strong> stops
            resolving at once for every run there. Its version history is kept.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
