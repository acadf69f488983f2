import type { AddressInfo } from "node:net";
import pino, { type DestinationStream, type Logger } from "pino";
import { buildApp } from "../../http/app.js";
import { serveMetrics } from "../../metrics/metrics-route.js";
import { ServerMetrics } from "../../metrics/server-metrics.js";
import type { HushService } from "../../service/hush-service.js";
import { openService } from "../../service/open-service.js";
import { CliError, usageError } from "../cli-error.js";
import {
  allowPrivateIssuers,
  endpointOf,
  type HttpFlags,
  httpSettings,
  type ListenFlags,
  listenSettings,
  type PrivateIssuersFlags,
  type StorageFlags,
  storageSettings,
} from "../common-options.js";
import type { CliIo } from "../io.js";
import { type OperationsFlags, openLogFile, operationsSettings } from "../operations-options.js";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];
export const DEFAULT_LOG_LEVEL = "info";

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

function byteCountFlag(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const bytes = Number(text);
  if (!/^\d+$/.test(text) || bytes < 1) {
    throw usageError(`${flag} must be a whole number of bytes, 1 or more.`, "start");
  }
  return bytes;
}

function wholeNumberFlag(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw usageError(`${flag} must be a whole number, 0 or more.`, "start");
  return Number(text);
}

/** What `hush-server start` takes. */
export interface StartOptions
  extends StorageFlags,
    ListenFlags,
    HttpFlags,
    OperationsFlags,
    PrivateIssuersFlags {
  /** Also serve GraphiQL at /graphiql, without rate limits. */
  dev?: boolean | undefined;
  /** Let webhooks target private network addresses (SSRF: off unless asked for). */
  allowPrivateWebhooks?: boolean | undefined;
  maxValueBytes?: string | undefined;
  maxRequestValueBytes?: string | undefined;
  auditMaxAgeDays?: string | undefined;
  auditMaxEvents?: string | undefined;
  logLevel?: string | undefined;
}

/**
 * Serves the API until SIGINT or SIGTERM (exit 0) or until the storage can no longer write
 * (exit 1).
 */
export async function start(values: StartOptions, io: CliIo): Promise<number> {
  const { host, port } = listenSettings(values, io, "start");
  const storage = storageSettings(values, io);
  const http = httpSettings(values, io, "start");
  const level = values.logLevel ?? DEFAULT_LOG_LEVEL;
  if (!LOG_LEVELS.includes(level)) {
    throw usageError(`--log-level must be one of ${LOG_LEVELS.join(", ")}.`, "start");
  }
  const maxValueBytes = byteCountFlag(values.maxValueBytes, "--max-value-bytes");
  const maxRequestValueBytes = byteCountFlag(
    values.maxRequestValueBytes,
    "--max-request-value-bytes",
  );

  const ops = operationsSettings(values, io, values.dev ?? false);
  const metrics = new ServerMetrics();
  const auditMaxAgeDays = wholeNumberFlag(values.auditMaxAgeDays, "--audit-max-age-days");
  const auditMaxEventsPerTenant = wholeNumberFlag(values.auditMaxEvents, "--audit-max-events");

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
    allowPrivateIssuers: allowPrivateIssuers(values, io),
    allowPrivateWebhooks:
      values.allowPrivateWebhooks === true || io.env.HUSH_ALLOW_PRIVATE_WEBHOOKS === "1",
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
