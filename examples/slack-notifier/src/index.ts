export {
  type FlowState,
  type SlackNotifierOptions,
  type StateHandler,
  slackMessage,
  slackNotifier,
} from "./slack-notifier.js";
