import {
  WebhookDeliveriesDocument,
  type WebhookDeliveriesQuery,
  WebhooksDocument,
} from "@hush/graphql/documents";
import { describeSecretChange } from "@hush/schema/change-actions";
import { useCallback, useState } from "preact/hooks";
import { useSignedIn } from "../api/signed-in.js";
import { DataTable } from "../ui/data-table.js";
import { Pager } from "../ui/pager.js";
import { ProblemBanner } from "../ui/problem-banner.js";
import { hrefOf } from "../ui/route.js";
import { ServerText } from "../ui/server-text.js";
import { useLoad } from "../ui/use-load.js";
import { When } from "../ui/when.js";

type Delivery = WebhookDeliveriesQuery["webhookDeliveries"][number];

const PAGE_SIZE = 50;

const STATUS_TEXT: Readonly<Record<Delivery["status"], string>> = {
  PENDING: "Pending",
  DELIVERED: "Delivered",
  FAILED: "Failed",
};

/**
 * One webhook's deliveries, newest first, paged: where each stands, how many tries it took,
 * when the last was and the next will be, how the last went, and the change it carries.
 */
export function DeliveriesPage({ webhook }: { webhook: string }) {
  const session = useSignedIn();
  const [page, setPage] = useState(0);

  // The webhook's URL for the heading; its id stands in while (or if) the list is not read.
  const loadWebhook = useCallback(
    async () => (await session.call(WebhooksDocument, {})).webhooks.find((w) => w.id === webhook),
    [session, webhook],
  );
  const { data: found } = useLoad(loadWebhook);

  const load = useCallback(async () => {
    const { webhookDeliveries } = await session.call(WebhookDeliveriesDocument, {
      webhook,
      limit: PAGE_SIZE + 1,
      offset: page * PAGE_SIZE,
    });
    return webhookDeliveries;
  }, [session, webhook, page]);
  const { data, problem, reload } = useLoad<Delivery[]>(load);
  const deliveries = data?.slice(0, PAGE_SIZE) ?? null;

  return (
    <section aria-labelledby="deliveries-title">
      <p>
        <a href={hrefOf({ page: "webhooks", env: session.environment })}>← All webhooks</a>
      </p>
      <h1 id="deliveries-title" class="long-words">
        Deliveries to <ServerText text={found?.url ?? webhook} />
      </h1>
      <div class="toolbar">
        <button type="button" onClick={reload}>
          Refresh
        </button>
      </div>
      <ProblemBanner problem={problem} />
      {deliveries !== null && deliveries.length === 0 && (
        <p>No deliveries yet: the next change sent to this webhook shows here.</p>
      )}
      {deliveries !== null && deliveries.length > 0 && (
        <DataTable
          label="Deliveries table"
          caption={`Deliveries, page ${page + 1}, newest first`}
          columns={[
            "Change",
            "Status",
            "Attempts",
            "Last attempt",
            "Next attempt",
            "Outcome",
            "Delivery id",
          ]}
        >
          {deliveries.map((delivery) => (
            <tr key={delivery.id} class={`delivery-${delivery.status.toLowerCase()}`}>
              <th scope="row" class="wrap">
                <ServerText text={describeSecretChange(delivery.change)} />
              </th>
              <td data-label="Status">{STATUS_TEXT[delivery.status]}</td>
              <td data-label="Attempts">{delivery.attempts}</td>
              <td data-label="Last attempt">
                <When at={delivery.lastAttemptAt} />
              </td>
              <td data-label="Next attempt">
                <When at={delivery.nextAttemptAt} />
              </td>
              <td data-label="Outcome" class="wrap">
                <ServerText text={delivery.lastOutcome ?? "—"} />
              </td>
              <td data-label="Delivery id" class="wrap">
                <code>{delivery.id}</code>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <Pager
        label="Delivery pages"
        first={page * PAGE_SIZE + 1}
        last={page * PAGE_SIZE + (deliveries?.length ?? 0)}
        hasPrevious={page > 0}
        hasNext={(data?.length ?? 0) > PAGE_SIZE}
        onPrevious={() => setPage(page - 1)}
        onNext={() => setPage(page + 1)}
      />
    </section>
  );
}
