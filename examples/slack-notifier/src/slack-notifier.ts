import { HushError, Secret } from "@hush/core";

/** A flow run's state, as the orchestrator passes it to state handlers. */
export interface FlowState {
  /** The state's name, e.g. `"Running"`, `"Success"`, `"Failed"`. */
  readonly name: string;
  /** What the orchestrator says about it, e.g. the failure's reason. */
  readonly message?: string;
}

/** Options for {@link slackNotifier}. */
export interface SlackNotifierOptions {
  /**
   * The secret holding the Slack incoming-webhook URL.
   * @default "SLACK_WEBHOOK_URL"
   */
  secretName?: string;
  /** Report only these state names; every state when omitted. */
  onlyStates?: readonly string[];
}

/** A flow-state handler: called on each state change, returns the new state. */
export type StateHandler<S extends FlowState = FlowState> = (
  flowName: string,
  oldState: S,
  newState: S,
) => Promise<S>;

/**
 * A state handler that posts each reported state change to Slack. Like Prefect's Slack handler it
 * reads the webhook secret before deciding whether to report, so a missing secret fails at the
 * first state change, not only when something goes wrong.
 *
 * @example
 * const handler = slackNotifier({ onlyStates: ["Failed"] });
 * await handler("nightly-etl", { name: "Running" }, { name: "Failed", message: "disk full" });
 */
export function slackNotifier<S extends FlowState = FlowState>(
  options: SlackNotifierOptions = {},
): StateHandler<S> {
  const secretName = options.secretName ?? "SLACK_WEBHOOK_URL";
  const onlyStates = options.onlyStates === undefined ? undefined : new Set(options.onlyStates);
  return async (flowName, oldState, newState) => {
    const webhookUrl = await new Secret(secretName).getString();
    if (onlyStates !== undefined && !onlyStates.has(newState.name)) return newState;
    await post(webhookUrl, slackMessage(flowName, oldState, newState), secretName);
    return newState;
  };
}

/** The JSON body Slack's incoming webhooks accept: a fallback `text` and one attachment. */
export function slackMessage(flowName: string, oldState: FlowState, newState: FlowState) {
  const color =
    newState.name === "Failed" ? "#eb0000" : newState.name === "Success" ? "#28a745" : "#999999";
  return {
    text: `Flow ${flowName} is now ${newState.name}`,
    attachments: [
      {
        color,
        title: flowName,
        text: newState.message ?? "",
        fields: [
          { title: "Previous state", value: oldState.name, short: true },
          { title: "New state", value: newState.name, short: true },
        ],
      },
    ],
  };
}

async function post(url: string, body: unknown, secretName: string): Promise<void> {
  // The URL is the secret: no message below may contain it.
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  } catch {
    throw new HushError(
      "NOTIFY_FAILED",
      `Could not reach the Slack webhook in secret "${secretName}". Check the URL stored in it and the network.`,
    );
  }
  if (!response.ok) {
    throw new HushError(
      "NOTIFY_FAILED",
      `The Slack webhook in secret "${secretName}" answered HTTP ${response.status}. Check that the webhook still exists.`,
    );
  }
}
