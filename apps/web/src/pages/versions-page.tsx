import {
  RollbackSecretDocument,
  SecretVersionsDocument,
  type SecretVersionsQuery,
} from "@hush/graphql/documents";
import { useCallback, useState } from "preact/hooks";
import { useSignedIn } from "../api/signed-in.js";
import { ConfirmDialog } from "../ui/confirm-dialog.js";
import { DataTable, RowAction } from "../ui/data-table.js";
import { ProblemBanner } from "../ui/problem-banner.js";
import { hrefOf } from "../ui/route.js";
import { ServerText } from "../ui/server-text.js";
import { useLoad } from "../ui/use-load.js";
import { When } from "../ui/when.js";

type Version = SecretVersionsQuery["secretVersions"][number];

/** One secret's versions, newest first, with rollback to a version whose value is kept. */
export function VersionsPage({ name }: { name: string }) {
  const session = useSignedIn();
  const canWrite = session.may("writeSecrets");
  const [status, setStatus] = useState("");
  const [rollingBack, setRollingBack] = useState<number | null>(null);

  const load = useCallback(
    async () =>
      (await session.call(SecretVersionsDocument, { name, environment: session.environment }))
        .secretVersions,
    [session, name],
  );
  const { data: versions, problem, setProblem, reload } = useLoad<Version[]>(load);

  async function rollback(version: number) {
    setRollingBack(null);
    try {
      const { rollbackSecret } = await session.call(RollbackSecretDocument, {
        name,
        version,
        environment: session.environment,
      });
      setStatus(
        `Rolled ${name} back to version ${version}: it is now version ${rollbackSecret.version}.`,
      );
      setProblem(null);
      reload();
    } catch (error) {
      setProblem(error);
    }
  }

  const latest = versions?.[0]?.version;
  return (
    <section aria-labelledby="versions-title">
      <p>
        <a href={hrefOf({ page: "secrets", env: session.environment })}>← All secrets</a>
      </p>
      <h1 id="versions-title">
        Versions of <code>{name}</code> in <code>{session.environment}</code>
      </h1>
      <p class="status" role="status">
        {status}
      </p>
      <ProblemBanner problem={problem} />
      {versions !== null && versions.length === 0 && <p>This secret has no versions.</p>}
      {versions !== null && versions.length > 0 && (
        <DataTable
          label="Versions table"
          columns={["Version", "Written", "By", "State", canWrite && "Actions"]}
        >
          {versions.map((version) => (
            <tr key={version.version}>
              <th scope="row" data-label="Version">
                {version.version}
              </th>
              <td data-label="Written">
                <When at={version.created} />
              </td>
              <td data-label="By" class="wrap">
                <ServerText text={version.createdBy} />
              </td>
              <td data-label="State">{stateOf(version, latest)}</td>
              {canWrite && (
                <td class="row-actions">
                  {version.version !== latest && version.hasValue && !version.deleted && (
                    <RowAction
                      label={`Roll back to version ${version.version}`}
                      onClick={() => setRollingBack(version.version)}
                    >
                      Roll back
                    </RowAction>
                  )}
                </td>
              )}
            </tr>
          ))}
        </DataTable>
      )}
      {rollingBack !== null && (
        <ConfirmDialog
          title={`Roll ${name} back to version ${rollingBack}?`}
          confirmLabel={`Roll back to version ${rollingBack}`}
          onCancel={() => setRollingBack(null)}
          onConfirm={() => rollback(rollingBack)}
        >
          <p>
            The value of version {rollingBack} becomes a new, current version of{" "}
            <strong>{name}</strong>. Runs that read it get that value from now on.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function stateOf(version: Version, latest: number | undefined): string {
  if (version.deleted) return "Deleted";
  const parts = [version.version === latest ? "Current" : "Earlier"];
  if (!version.hasValue) parts.push("value no longer kept");
  return parts.join(", ");
}
