import { describeAuditSubject } from "@hush/schema/audit-actions";
import type { AuditAction } from "@hush/schema/types";
import { useCallback, useEffect, useState } from "preact/hooks";
import {
  AUDIT_ACTION_LABELS,
  AUDIT_ACTIONS,
  type AuditEvent,
  auditPage,
} from "../api/audit-page.js";
import { useSignedIn } from "../api/signed-in.js";
import { DataTable } from "../ui/data-table.js";
import { Pager } from "../ui/pager.js";
import { ProblemBanner } from "../ui/problem-banner.js";
import { ServerText } from "../ui/server-text.js";
import { useDebounced } from "../ui/use-debounced.js";
import { useLoad } from "../ui/use-load.js";
import { When } from "../ui/when.js";

const PAGE_SIZE = 50;

/**
 * The tenant's audit events, newest first, filtered by environment (the one in use, unless the
 * user asks for all), secret name and action, paged. Only
 * offered to roles that may read them; any other role that comes here sees the server's FORBIDDEN.
 */
export function AuditPage() {
  const session = useSignedIn();
  const [name, setName] = useState("");
  const settledName = useDebounced(name.trim(), 300);
  const [action, setAction] = useState<AuditAction | null>(null);
  // Token events belong to no environment: "All environments" shows them.
  const [allEnvironments, setAllEnvironments] = useState(false);
  const environment = allEnvironments ? null : session.environment;
  // The offsets where the pages seen so far start; the last one is the current page.
  const [starts, setStarts] = useState<number[]>([0]);
  const start = starts[starts.length - 1] ?? 0;

  // biome-ignore lint/correctness/useExhaustiveDependencies: new filters start at the first page
  useEffect(() => setStarts([0]), [settledName, action, environment]);

  const load = useCallback(
    () =>
      auditPage(session, { start, name: settledName, action, environment, pageSize: PAGE_SIZE }),
    [session, start, settledName, action, environment],
  );
  const { data: page, problem } = useLoad(load);
  const events: AuditEvent[] | null = page?.events ?? null;
  const next = page?.next ?? null;

  const pageNumber = starts.length;
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit</h1>
      <ProblemBanner problem={problem} />
      <div class="toolbar">
        <div>
          <label for="audit-environment">Environment</label>
          <select
            id="audit-environment"
            value={allEnvironments ? "" : session.environment}
            onChange={(event) => setAllEnvironments(event.currentTarget.value === "")}
          >
            <option value={session.environment}>{session.environment}</option>
            <option value="">All environments</option>
          </select>
        </div>
        <div>
          <label for="audit-name">Secret name (exact)</label>
          <input
            id="audit-name"
            type="search"
            spellcheck={false}
            autoComplete="off"
            value={name}
            onInput={(event) => setName(event.currentTarget.value)}
          />
        </div>
        <div>
          <label for="audit-action">Action</label>
          <select
            id="audit-action"
            value={action ?? ""}
            onChange={(event) =>
              setAction(
                event.currentTarget.value === ""
                  ? null
                  : (event.currentTarget.value as AuditAction),
              )
            }
          >
            <option value="">All actions</option>
            {AUDIT_ACTIONS.map((item) => (
              <option key={item} value={item} title={item}>
                {AUDIT_ACTION_LABELS[item]}
              </option>
            ))}
          </select>
        </div>
      </div>
      {events !== null && events.length === 0 && <p>No audit events match.</p>}
      {events !== null && events.length > 0 && (
        <DataTable
          label="Audit events table"
          caption={`Audit events, page ${pageNumber}, newest first`}
          columns={[
            "When",
            "Action",
            "About",
            "Version",
            "Environment",
            "Outcome",
            "Who",
            "Token id",
            "Count",
          ]}
        >
          {events.map((event) => (
            <tr key={event.id}>
              <td data-label="When">
                <When at={event.at} />
              </td>
              <td data-label="Action">
                <span title={event.action}>{AUDIT_ACTION_LABELS[event.action]}</span>
              </td>
              <td data-label="About" class="wrap">
                <ServerText text={describeAuditSubject(event) || "—"} />
              </td>
              <td data-label="Version">{event.version ?? "—"}</td>
              <td data-label="Environment">{event.environment ?? "—"}</td>
              <td data-label="Outcome">{event.outcome}</td>
              <td data-label="Who" class="wrap">
                <ServerText text={event.actor} />
              </td>
              <td data-label="Token id" class="wrap">
                <code>{event.actorTokenId ?? "—"}</code>
              </td>
              <td data-label="Count">{event.count}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <Pager
        label="Audit pages"
        first={(pageNumber - 1) * PAGE_SIZE + 1}
        last={(pageNumber - 1) * PAGE_SIZE + (events?.length ?? 0)}
        hasPrevious={starts.length > 1}
        hasNext={next !== null}
        onPrevious={() => setStarts(starts.slice(0, -1))}
        onNext={() => next !== null && setStarts([...starts, next])}
      />
    </section>
  );
}
