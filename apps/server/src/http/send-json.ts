import type { FastifyReply } from "fastify";
import { stringifyInSlices } from "../event-loop/slices.js";

const JSON_TYPE = "application/json; charset=utf-8";

/** Sends an already-serialised JSON body, so Fastify does not serialise it again. */
export function sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).header("content-type", JSON_TYPE).send(JSON.stringify(body));
}

/** As {@link sendJson}, for an answer that may be large: serialised a slice at a time. */
export async function sendLargeJson(
  reply: FastifyReply,
  status: number,
  body: unknown,
): Promise<FastifyReply> {
  const text = await stringifyInSlices(body);
  return reply.code(status).header("content-type", JSON_TYPE).send(text);
}
