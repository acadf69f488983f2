import type { FastifyReply } from "fastify";

const JSON_TYPE = "application/json; charset=utf-8";

/** Sends an already-serialised JSON body, so Fastify does not serialise it again. */
export function sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).header("content-type", JSON_TYPE).send(JSON.stringify(body));
}
