import type { Option } from "commander";
import pinoRoll from "pino-roll";
import { DEFAULT_RATE_LIMITS, type RateLimits } from "../http/rate-limit.js";
import { CliError, usageError } from "./cli-error.js";
import { flag } from "./common-options.js";
import type { CliIo } from "./io.js";

/** The flags of `start` for running it in production: metrics, limits, logs. */
export interface OperationsFlags {
  metricsPort?: string | undefined;
  metricsHost?: string | undefined;
  rateLimitToken?: string | undefined;
  rateLimitAddress?: string | undefined;
  authFailureLimit?: string | undefined;
  trustProxy?: string | undefined;
  logFile?: string | undefined;
  logFileSize?: string | undefined;
  logFileCount?: string | undefined;
}

const { perToken, perAddress, authFailures } = DEFAULT_RATE_LIMITS;
const DEFAULT_METRICS_HOST = "127.0.0.1";
/** A new log file is started at this size, and this many older ones are kept. */
const LOG_FILE_DEFAULTS = { size: "10m", count: 10 } as const;

export function operationsOptions(): Option[] {
  return [
    flag(
      "--metrics-port <port>",
      "Serve GET /metrics (Prometheus) on this port, never on the API's",
      { env: "HUSH_METRICS_PORT", default: "no metrics served" },
    ),
    flag(
      "--metrics-host <host>",
      "The address the metrics port listens on, e.g. the monitoring network's interface",
      { env: "HUSH_METRICS_HOST", default: DEFAULT_METRICS_HOST },
    ),
    flag("--rate-limit-token <n>", "Requests per second per API token", {
      env: "HUSH_RATE_LIMIT_TOKEN",
      default: `${perToken}; 0: no limit`,
    }),
    flag("--rate-limit-address <n>", "Requests per second per client address", {
      env: "HUSH_RATE_LIMIT_ADDRESS",
      default: `${perAddress}; 0: no limit`,
    }),
    flag(
      "--auth-failure-limit <n>",
      "Failures per minute of one token from one address before that token gets 429 there (the address's other tokens go on), and different invalid tokens per minute from one address before its tokens not seen valid within the hour get 429; no rate limit at all with --dev",
      { env: "HUSH_AUTH_FAILURE_LIMIT", default: `${authFailures}; 0: no limit` },
    ),
    flag(
      "--trust-proxy <addrs>",
      "Take the client address from X-Forwarded-For when the request comes from these proxies (addresses or CIDR ranges, comma-separated)",
    ),
    flag(
      "--log-file <path>",
      "Write the JSON logs to PATH (numbered: PATH.1.log, …) instead of stdout",
    ),
    flag("--log-file-size <size>", "Start a new log file at this size (k, m or g)", {
      default: LOG_FILE_DEFAULTS.size,
    }),
    flag("--log-file-count <n>", "Keep this many older log files", {
      default: LOG_FILE_DEFAULTS.count,
    }),
  ];
}

export interface OperationsSettings {
  metricsPort: number | undefined;
  metricsHost: string;
  rateLimits: RateLimits | undefined;
  trustProxy: string | undefined;
  logFile: { file: string; size: string; count: number } | undefined;
}

function count(text: string | undefined, fallback: number, flag: string, max: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > max) {
    throw usageError(`${flag} must be a whole number from 0 to ${max}, not "${text}".`, "start");
  }
  return n;
}

export function operationsSettings(
  values: OperationsFlags,
  io: CliIo,
  dev: boolean,
): OperationsSettings {
  const metricsPortText = values.metricsPort ?? (io.env.HUSH_METRICS_PORT || undefined);
  const size = values.logFileSize ?? LOG_FILE_DEFAULTS.size;
  if (!/^\d+[kmg]?$/.test(size)) {
    throw usageError(
      `--log-file-size must be a size such as 512k, 10m or 1g, not "${size}".`,
      "start",
    );
  }
  if (values.logFile === "") throw usageError("--log-file must not be empty.", "start");
  const metricsHost = values.metricsHost ?? (io.env.HUSH_METRICS_HOST || DEFAULT_METRICS_HOST);
  if (metricsHost === "") throw usageError("--metrics-host must not be empty.", "start");
  return {
    metricsPort:
      metricsPortText === undefined
        ? undefined
        : count(metricsPortText, 0, "--metrics-port", 65_535),
    metricsHost,
    rateLimits: dev
      ? undefined
      : {
          perToken: count(
            values.rateLimitToken ?? (io.env.HUSH_RATE_LIMIT_TOKEN || undefined),
            perToken,
            "--rate-limit-token",
            1e9,
          ),
          perAddress: count(
            values.rateLimitAddress ?? (io.env.HUSH_RATE_LIMIT_ADDRESS || undefined),
            perAddress,
            "--rate-limit-address",
            1e9,
          ),
          authFailures: count(
            values.authFailureLimit ?? (io.env.HUSH_AUTH_FAILURE_LIMIT || undefined),
            authFailures,
            "--auth-failure-limit",
            1e9,
          ),
        },
    trustProxy: values.trustProxy,
    logFile:
      values.logFile === undefined
        ? undefined
        : {
            file: values.logFile,
            size,
            count: count(values.logFileCount, LOG_FILE_DEFAULTS.count, "--log-file-count", 10_000),
          },
  };
}

/** Opens the rotating log file; `close()` flushes it. */
export async function openLogFile(settings: NonNullable<OperationsSettings["logFile"]>) {
  let stream: Awaited<ReturnType<typeof pinoRoll>>;
  try {
    stream = await pinoRoll({
      file: settings.file,
      size: settings.size,
      limit: { count: settings.count },
      mkdir: true,
    });
  } catch (cause) {
    throw new CliError(
      `Cannot write the log file ${settings.file}: ${(cause as Error).message}. Check that its folder is writable.`,
      { cause },
    );
  }
  return {
    stream,
    close: () =>
      new Promise<void>((resolve) => {
        stream.once("close", () => resolve());
        stream.end();
      }),
  };
}
