import pinoRoll from "pino-roll";
import { DEFAULT_RATE_LIMITS, type RateLimits } from "../http/rate-limit.js";
import { CliError, usageError } from "./cli-error.js";
import type { CliIo } from "./io.js";

/** `parseArgs` options of `start` for running it in production: metrics, limits, logs. */
export const operationsOptions = {
  "metrics-port": { type: "string" },
  "metrics-host": { type: "string" },
  "rate-limit-token": { type: "string" },
  "rate-limit-address": { type: "string" },
  "auth-failure-limit": { type: "string" },
  "trust-proxy": { type: "string" },
  "log-file": { type: "string" },
  "log-file-size": { type: "string" },
  "log-file-count": { type: "string" },
} as const;

const { perToken, perAddress, authFailures } = DEFAULT_RATE_LIMITS;

export const OPERATIONS_HELP = `  --metrics-port PORT   Serve GET /metrics (Prometheus) on this port, never on the API's
                        (env HUSH_METRICS_PORT; default: no metrics served)
  --metrics-host HOST   The address the metrics port listens on (env HUSH_METRICS_HOST;
                        default 127.0.0.1; e.g. the monitoring network's interface)
  --rate-limit-token N  Requests per second per API token (env HUSH_RATE_LIMIT_TOKEN;
                        default ${perToken}; 0: no limit)
  --rate-limit-address N
                        Requests per second per client address (env HUSH_RATE_LIMIT_ADDRESS;
                        default ${perAddress}; 0: no limit)
  --auth-failure-limit N
                        Failures per minute of one token from one address before that token
                        gets 429 there (the address's other tokens go on), and different
                        invalid tokens per minute from one address before its tokens not seen
                        valid within the hour get 429 (env HUSH_AUTH_FAILURE_LIMIT;
                        default ${authFailures}; 0: no limit)
                        (no rate limit at all with --dev)
  --trust-proxy ADDRS   Take the client address from X-Forwarded-For when the request comes
                        from these proxies (addresses or CIDR ranges, comma-separated)
  --log-file PATH       Write the JSON logs to PATH (numbered: PATH.1.log, …) instead of stdout,
                        starting a new file at --log-file-size (default 10m; k, m or g)
                        and keeping --log-file-count older ones (default 10)`;

type Values = { [K in keyof typeof operationsOptions]?: string | undefined };

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

export function operationsSettings(values: Values, io: CliIo, dev: boolean): OperationsSettings {
  const metricsPortText = values["metrics-port"] ?? (io.env.HUSH_METRICS_PORT || undefined);
  const size = values["log-file-size"] ?? "10m";
  if (!/^\d+[kmg]?$/.test(size)) {
    throw usageError(
      `--log-file-size must be a size such as 512k, 10m or 1g, not "${size}".`,
      "start",
    );
  }
  if (values["log-file"] === "") throw usageError("--log-file must not be empty.", "start");
  const metricsHost = values["metrics-host"] ?? (io.env.HUSH_METRICS_HOST || "127.0.0.1");
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
            values["rate-limit-token"] ?? (io.env.HUSH_RATE_LIMIT_TOKEN || undefined),
            perToken,
            "--rate-limit-token",
            1e9,
          ),
          perAddress: count(
            values["rate-limit-address"] ?? (io.env.HUSH_RATE_LIMIT_ADDRESS || undefined),
            perAddress,
            "--rate-limit-address",
            1e9,
          ),
          authFailures: count(
            values["auth-failure-limit"] ?? (io.env.HUSH_AUTH_FAILURE_LIMIT || undefined),
            authFailures,
            "--auth-failure-limit",
            1e9,
          ),
        },
    trustProxy: values["trust-proxy"],
    logFile:
      values["log-file"] === undefined
        ? undefined
        : {
            file: values["log-file"],
            size,
            count: count(values["log-file-count"], 10, "--log-file-count", 10_000),
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
