import {
  CreateWebhookDocument,
  DeleteWebhookDocument,
  EnableWebhookDocument,
  type WebhookFieldsFragment,
  WebhooksDocument,
} from "@hush/graphql/documents";
import {
  SECRET_CHANGE_ACTION_LABELS,
  SECRET_CHANGE_ACTIONS,
  type SecretChangeActionName,
} from "@hush/schema/change-actions";
import { useCallback, useState } from "preact/hooks";
import { useSignedIn } from "../api/signed-in.js";
import { ConfirmDialog } from "../ui/confirm-dialog.js";
import { DataTable, RowAction } from "../ui/data-table.js";
import { ProblemBanner } from "../ui/problem-banner.js";
import { hrefOf } from "../ui/route.js";
import { ServerText, serverText } from "../ui/server-text.js";
import { ShownOnce } from "../ui/shown-once.js";
import { useLoad } from "../ui/use-load.js";
import { When } from "../ui/when.js";

type Webhook = WebhookFieldsFragment;

/**
 * The tenant's webhooks: HTTPS endpoints sent each change of its secrets (names and versions,
 * never a value), signed with a key shown once. Create, list, enable one that was disabled
 * after failing, delete, and follow each one's deliveries. Only offered to roles that may
 * manage them.
 */
export function WebhooksPage() {
  const session = useSignedIn();
  const allowed = session.may("manageWebhooks");
  const [status, setStatus] = useState("");
  const [created, setCreated] = useState<{ webhook: Webhook; signingSecret: string } | null>(null);
  const [deleting, setDeleting] = useState<Webhook | null>(null);

  const load = useCallback(
    async () => (await session.call(WebhooksDocument, {})).webhooks,
    [session],
  );
  const { data: webhooks, setData, problem, setProblem, reload } = useLoad<Webhook[]>(load);

  async function act(run: () => Promise<string>) {
    setDeleting(null);
    try {
      setStatus(await run());
      setProblem(null);
      reload();
    } catch (error) {
      setStatus("");
      setProblem(error);
    }
  }

  const remove = (webhook: Webhook) =>
    act(async () => {
      await session.call(DeleteWebhookDocument, { id: webhook.id });
      setData((list) => list?.filter((w) => w.id !== webhook.id) ?? list);
      return `Deleted the webhook to ${serverText(webhook.url)}; its pending deliveries are dropped.`;
    });

  const enable = (webhook: Webhook) =>
    act(async () => {
      const { enableWebhook } = await session.call(EnableWebhookDocument, { id: webhook.id });
      setData((list) => list?.map((w) => (w.id === webhook.id ? enableWebhook : w)) ?? list);
      return `Enabled the webhook to ${serverText(webhook.url)}: deliveries resume with the next change.`;
    });

  return (
    <section aria-labelledby="webhooks-title">
      <h1 id="webhooks-title">Webhooks</h1>
      {!allowed ? null : created === null ? (
        <CreateWebhookForm
          onCreated={(result) => {
            setCreated(result);
            setStatus("");
            reload();
          }}
        />
      ) : (
        <ShownOnce
          id="new-webhook"
          title={`Webhook to ${serverText(created.webhook.url)} created`}
          label="Signing secret"
          value={created.signingSecret}
          onDone={() => setCreated(null)}
        >
          <p class="hint">
            Each delivery carries <code>X-Hush-Signature: sha256=…</code>, the hex HMAC-SHA256 of
            its body with this key: check it before trusting a delivery.
          </p>
        </ShownOnce>
      )}
      <p class="status" role="status">
        {status}
      </p>
      <ProblemBanner problem={problem} />
      {webhooks !== null && webhooks.length === 0 && <p>No webhooks yet.</p>}
      {webhooks !== null && webhooks.length > 0 && (
        <DataTable
          label="Webhooks table"
          columns={["URL", "Environment", "Events", "Status", "Last outcome", "Created", "Actions"]}
        >
          {webhooks.map((webhook) => (
            <tr key={webhook.id}>
              <th scope="row" class="wrap">
                {/* As a secret's name leads to its versions, a webhook's URL leads to its deliveries. */}
                <a
                  href={hrefOf({
                    page: "deliveries",
                    webhook: webhook.id,
                    env: session.environment,
                  })}
                  title="Its deliveries"
                >
                  <ServerText text={webhook.url} />
                </a>
              </th>
              <td data-label="Environment">{webhook.environment ?? "All"}</td>
              <td data-label="Events" class="wrap">
                {webhook.events == null
                  ? "All"
                  : webhook.events.map((e) => SECRET_CHANGE_ACTION_LABELS[e]).join(", ")}
              </td>
              <td data-label="Status" class="wrap">
                {webhook.disabledAt == null ? (
                  "Enabled"
                ) : (
                  <span class="danger-text">
                    Disabled since <When at={webhook.disabledAt} />
                  </span>
                )}
              </td>
              <td data-label="Last outcome" class="wrap">
                {webhook.lastOutcome == null ? "—" : <ServerText text={webhook.lastOutcome} />}
              </td>
              <td data-label="Created">
                <When at={webhook.created} />
              </td>
              <td class="row-actions">
                {allowed && webhook.disabledAt != null && (
                  <RowAction
                    label={`Enable the webhook to ${serverText(webhook.url)}`}
                    onClick={() => enable(webhook)}
                  >
                    Enable
                  </RowAction>
                )}
                {allowed && (
                  <RowAction
                    label={`Delete the webhook to ${serverText(webhook.url)}`}
                    danger
                    onClick={() => setDeleting(webhook)}
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
          title={`Delete the webhook to ${serverText(deleting.url)}?`}
          confirmLabel="Delete webhook"
          danger
          onCancel={() => setDeleting(null)}
          onConfirm={() => remove(deleting)}
        >
          <p>
            <ServerText text={deleting.url} /> is sent no more changes, and the deliveries still
            pending for it are dropped.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function CreateWebhookForm(props: {
  onCreated(result: { webhook: Webhook; signingSecret: string }): void;
}) {
  const session = useSignedIn();
  const [url, setUrl] = useState("");
  // "" means every environment.
  const [environment, setEnvironment] = useState("");
  // The actions ticked; none ticked means all of them.
  const [events, setEvents] = useState<SecretChangeActionName[]>([]);
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const { createWebhook } = await session.call(CreateWebhookDocument, {
        url: url.trim(),
        environment: environment === "" ? null : environment,
        // In the order they are offered, whatever the order they were ticked in.
        events:
          events.length === 0 ? null : SECRET_CHANGE_ACTIONS.filter((a) => events.includes(a)),
      });
      setUrl("");
      setEnvironment("");
      setEvents([]);
      props.onCreated(createWebhook);
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="panel" onSubmit={submit} autoComplete="off" aria-labelledby="create-webhook-title">
      <h2 id="create-webhook-title">Create a webhook</h2>
      <div class="fields">
        <div>
          <label for="webhook-url">URL</label>
          <input
            id="webhook-url"
            type="url"
            value={url}
            required
            spellcheck={false}
            placeholder="https://hooks.example.com/hush"
            aria-describedby="webhook-url-hint"
            onInput={(event) => setUrl(event.currentTarget.value)}
          />
          <p id="webhook-url-hint" class="hint">
            <code>https://</code>, or <code>http://</code> on a loopback address. Each change is
            POSTed to it: names and versions, never a value.
          </p>
        </div>
        <div>
          <label for="webhook-environment">Environment</label>
          <select
            id="webhook-environment"
            value={environment}
            onChange={(event) => setEnvironment(event.currentTarget.value)}
          >
            <option value="">All environments</option>
            {(session.environments ?? []).map((env) => (
              <option key={env.name} value={env.name}>
                {env.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <fieldset aria-describedby="webhook-events-hint">
        <legend>Events</legend>
        {SECRET_CHANGE_ACTIONS.map((action) => (
          <label class="inline" key={action} title={action}>
            <input
              type="checkbox"
              checked={events.includes(action)}
              onChange={(event) =>
                setEvents(
                  event.currentTarget.checked
                    ? [...events, action]
                    : events.filter((a) => a !== action),
                )
              }
            />
            {SECRET_CHANGE_ACTION_LABELS[action]}
          </label>
        ))}
        <p id="webhook-events-hint" class="hint">
          {events.length === 0
            ? "None ticked: every change is sent."
            : "Only the changes ticked are sent."}
        </p>
      </fieldset>
      <ProblemBanner problem={problem} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? "Creating…" : "Create webhook"}
        </button>
      </div>
    </form>
  );
}
