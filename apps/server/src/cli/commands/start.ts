import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import pino, { type DestinationStream, type Logger } from "pino";
import { buildApp } from "../../http/app.js";
import { serveMetrics } from "../../metrics/metrics-route.js";
import { ServerMetrics } from "../../metrics/server-metrics.js";
import type { HushService } from "../../service/hush-service.js";
import { openService } from "../../service/open-service.js";
import { SERVICE_DEFAULTS } from "../../service/service-defaults.js";
import { CliError, usageError } from "../cli-error.js";
import {
  endpointOf,
  HTTP_HELP,
  httpOptions,
  httpSettings,
  LISTEN_HELP,
  listenOptions,
  listenSettings,
  STORAGE_HELP,
  storageOptions,
  storageSettings,
} from "../common-options.js";
import type { CliIo } from "../io.js";
import {
  OPERATIONS_HELP,
  openLogFile,
  operationsOptions,
  operationsSettings,
} from "../operations-options.js";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

export const START_HELP = `Usage: hush-server start [options]

Starts the GraphQL server (POST/GET /graphql, GET /healthz, GET /readyz). Migrations run first.
Logs are JSON lines on stdout. SIGINT or SIGTERM stops it after pending writes are committed.
If the storage can no longer write (SQLite's writer thread died), it logs a fatal line and
exits with code 1, for a supervisor to restart it.
The master key comes from HUSH_MASTER_KEY, else the data folder's master.key.

Options:
${STORAGE_HELP}
${LISTEN_HELP}
${HTTP_HELP}
  --dev                 Also serve GraphiQL at /graphiql
  --max-value-bytes N   The largest value accepted, in bytes of JSON (default ${SERVICE_DEFAULTS.maxValueBytes})
  --max-request-value-bytes N
                        The most bytes of values one request may read, all its fields
                        together (default ${SERVICE_DEFAULTS.maxRequestValueBytes}, ${SERVICE_DEFAULTS.maxRequestValueBytes / 2 ** 20} MiB; at least --max-value-bytes)
  --audit-max-age-days N
                        Delete audit events older than N days, 0 for never (default ${SERVICE_DEFAULTS.auditMaxAgeDays})
  --audit-max-events N  Keep at most N audit events per tenant, 0 for no limit (default ${SERVICE_DEFAULTS.auditMaxEventsPerTenant})
  --log-level LEVEL     fatal, error, warn, info, debug, trace or silent (default info)
${OPERATIONS_HELP}
  -h, --help            Show this help
`;

function listenError(error: unknown, host: string, port: number): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EADDRINUSE") {
    return new CliError(
      `Port ${port} on ${host} is already in use (another hush-server?). Pick another with --port.`,
    );
  }
  if (code === "EACCES") {
    return new CliError(
      `Not allowed to listen on port ${port} on ${host}. Pick a port above 1023 with --port.`,
    );
  }
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") {
    return new CliError(`Cannot listen on ${host}: no such local address. Check --host.`);
  }
  return error as Error;
}

/**
 * Resolves once a first SIGINT or SIGTERM arrived (a second one exits at once), or once
 * `failure` resolved with the error that stops the server.
 */
function untilStopped(failure: Promise<Error>): Promise<NodeJS.Signals | Error> {
  return new Promise((resolve) => {
    const force = () => process.exit(130);
    const onSignal = (signal: NodeJS.Signals) => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      process.once("SIGINT", force);
      process.once("SIGTERM", force);
      resolve(signal);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    void failure.then((error) => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      resolve(error);
    });
  });
}

function wholeNumberFlag(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw usageError(`${flag} must be a whole number, 0 or more.`, "start");
  return Number(text);
}

export async function startCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...storageOptions,
      ...listenOptions,
      ...httpOptions,
      dev: { type: "boolean" },
      "max-value-bytes": { type: "string" },
      "max-request-value-bytes": { type: "string" },
      "log-level": { type: "string" },
      ...operationsOptions,
      "audit-max-age-days": { type: "string" },
      "audit-max-events": { type: "string" },
    },
    strict: true,
  });
  if (values.help) {
    io.stdout.write(START_HELP);
    return 0;
  }
  const { host, port } = listenSettings(values, io, "start");
  const storage = storageSettings(values, io);
  const http = httpSettings(values, io, "start");
  const level = values["log-level"] ?? "info";
  if (!LOG_LEVELS.includes(level)) {
    throw usageError(`--log-level must be one of ${LOG_LEVELS.join(", ")}.`, "start");
  }
  let maxValueBytes: number | undefined;
  if (values["max-value-bytes"] !== undefined) {
    maxValueBytes = Number(values["max-value-bytes"]);
    if (!/^\d+$/.test(values["max-value-bytes"]) || maxValueBytes < 1) {
      throw usageError("--max-value-bytes must be a whole number of bytes, 1 or more.", "start");
    }
  }
  let maxRequestValueBytes: number | undefined;
  if (values["max-request-value-bytes"] !== undefined) {
    maxRequestValueBytes = Number(values["max-request-value-bytes"]);
    if (!/^\d+$/.test(values["max-request-value-bytes"]) || maxRequestValueBytes < 1) {
      throw usageError(
        "--max-request-value-bytes must be a whole number of bytes, 1 or more.",
        "start",
      );
    }
  }

  const ops = operationsSettings(values, io, values.dev ?? false);
  const metrics = new ServerMetrics();
  const auditMaxAgeDays = wholeNumberFlag(values["audit-max-age-days"], "--audit-max-age-days");
  const auditMaxEventsPerTenant = wholeNumberFlag(values["audit-max-events"], "--audit-max-events");

  // One writer for the log lines and the listening line, so that they stay in order.
  const out = io.openOutput?.() ?? io.stdout;
  const logFile = ops.logFile && (await openLogFile(ops.logFile));
  const logTo = logFile?.stream ?? out;
  const logger: Logger = pino(
    { name: "hush-server", level },
    logTo as unknown as DestinationStream,
  );
  let storageFailed: (error: Error) => void = () => {};
  const storageFailure = new Promise<Error>((resolve) => {
    storageFailed = resolve;
  });
  const service: HushService = await openService({
    ...storage,
    maxValueBytes,
    maxRequestValueBytes,
    auditMaxAgeDays,
    auditMaxEventsPerTenant,
    logger,
    env: io.env,
    metrics,
    onStorageFailure: (error) => storageFailed(error),
  });
  const stopped = untilStopped(storageFailure);
  try {
    if ((await service.listTenants()).length === 0) {
      io.stderr.write(
        "hush-server: warning: there is no tenant yet, so no token can be used. Run hush-server init to create one with its admin token.\n",
      );
      logger.warn("no tenant yet: run hush-server init");
    }
    const app = await buildApp({
      service,
      logger,
      dev: values.dev ?? false,
      ...http,
      metrics,
      ...(ops.rateLimits && { rateLimits: ops.rateLimits }),
      ...(ops.trustProxy !== undefined && { trustProxy: ops.trustProxy }),
    }).catch((error: unknown) => {
      // The timeouts do not fit together (headers longer than the whole request).
      throw error instanceof RangeError ? usageError(error.message, "start") : error;
    });
    try {
      await app.listen({ host, port });
    } catch (error) {
      await app.close().catch(() => {});
      throw listenError(error, host, port);
    }
    const address = app.server.address() as AddressInfo;
    const metricsPort = ops.metricsPort;
    const metricsServer =
      metricsPort === undefined
        ? undefined
        : await serveMetrics(metrics, ops.metricsHost, metricsPort).catch(async (error) => {
            await app.close().catch(() => {});
            throw listenError(error, ops.metricsHost, metricsPort);
          });
    if (metricsServer) {
      out.write(`metrics on ${endpointOf(ops.metricsHost, metricsServer.port)}/metrics\n`);
    }
    out.write(`hush-server listening on ${endpointOf(host, address.port)}\n`);

    const reason = await stopped;
    if (reason instanceof Error) {
      // Every write would fail from now on: stop, so that a supervisor starts a sound process.
      // What the writer acknowledged is committed; what it had not is reported as failed.
      logger.fatal(
        { err: { message: reason.message } },
        "the storage cannot write any more: shutting down",
      );
      io.stderr.write(`hush-server: ${reason.message} Shutting down.\n`);
    } else {
      logger.info({ signal: reason }, "shutting down");
    }
    await app.close();
    await metricsServer?.close();
    await service.close();
    logger.info("stopped");
    return reason instanceof Error ? 1 : 0;
  } finally {
    // Idempotent: a no-op after the orderly shutdown above, a cleanup after a failed start.
    await service.close();
    await logFile?.close();
  }
}
