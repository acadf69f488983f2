import type { FastifyInstance } from "fastify";
import type { SecretsService } from "../service/contract.js";
import { sendJson } from "./send-json.js";

// A database that does not answer within this time counts as down.
const READY_TIMEOUT_MS = 5000;

/** `GET /healthz` (the process serves) and `GET /readyz` (the database answers). */
export function registerHealthRoutes(app: FastifyInstance, service: SecretsService): void {
  app.get("/healthz", (_request, reply) => sendJson(reply, 200, { status: "ok" }));
  app.get("/readyz", async (request, reply) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        service.ready(),
        new Promise((_resolve, reject) => {
          timer = setTimeout(
            () => reject(new Error("The database did not answer in time.")),
            READY_TIMEOUT_MS,
          );
        }),
      ]);
      return sendJson(reply, 200, { status: "ok" });
    } catch (error) {
      request.log.warn({ err: error }, "Not ready: the database does not answer");
      return sendJson(reply, 503, { status: "unavailable" });
    } finally {
      clearTimeout(timer);
    }
  });
}
