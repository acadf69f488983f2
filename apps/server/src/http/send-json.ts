import type { FastifyReply } from "fastify";
import { stringifyInSlices } from "../event-loop/slices.js";
import { JSON_MEDIA_TYPE, type ResponseMediaType } from "./response-media-type.js";

/**
 * Sends an already-serialised JSON body, so Fastify does not serialise it again; as
 * `application/json` unless the request negotiated another {@link ResponseMediaType}.
 */
export function sendJson(
  reply: FastifyReply,
  status: number,
  body: unknown,
  mediaType: ResponseMediaType = JSON_MEDIA_TYPE,
): FastifyReply {
  return reply.code(status).header("content-type", mediaType).send(JSON.stringify(body));
}

/** As {@link sendJson}, for an answer that may be large: serialised a slice at a time. */
export async function sendLargeJson(
  reply: FastifyReply,
  status: number,
  body: unknown,
  mediaType: ResponseMediaType = JSON_MEDIA_TYPE,
): Promise<FastifyReply> {
  const text = await stringifyInSlices(body);
  return reply.code(status).header("content-type", mediaType).send(text);
}
