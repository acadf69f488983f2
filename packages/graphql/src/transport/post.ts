import { request as httpRequest, type IncomingMessage } from "node:http";

// node:https (and node:tls with it) loads only for an https endpoint: ~3 ms of a process's start.
let https: Promise<typeof import("node:https")> | undefined;

/** One HTTP answer, read whole before anything parses it. */
export interface HttpAnswer {
  readonly status: number;
  readonly statusText: string;
  readonly contentType: string | undefined;
  readonly body: string;
}

/** What one POST sends. */
export interface PostInit {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly signal: AbortSignal;
}

/**
 * Sends one POST and reads its whole answer. A failure before the answer is complete rejects
 * with a {@link PostFailure} whose `cause` is the low-level error.
 */
export type Post = (url: string, init: PostInit) => Promise<HttpAnswer>;

/** The request did not get a complete answer; `cause` is the low-level error. */
export class PostFailure extends Error {
  constructor(cause: unknown) {
    super("The request got no complete answer.", { cause });
    this.name = "PostFailure";
  }
}

/**
 * POST over `node:http` / `node:https` with Node's global keep-alive agents. Used unless the
 * client is given a `fetch`: Node's fetch (undici) compiles its HTTP parser on its first request,
 * which measured ~100 ms of a command-line tool's start, against ~5 ms for `node:http`.
 */
export const nodePost: Post = async (url, init) => {
  let send = httpRequest;
  if (url.startsWith("https:")) {
    https ??= import("node:https");
    send = (await https).request;
  }
  return new Promise((resolve, reject) => {
    const request = send(url, {
      method: "POST",
      headers: { ...init.headers, "content-length": Buffer.byteLength(init.body) },
      signal: init.signal,
    });
    let answered = false;
    request.on("error", (error) => {
      if (answered) return;
      answered = true;
      // Even a reset of a reused connection is not sent again: the server may have read it.
      reject(new PostFailure(error));
    });
    request.on("response", (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", (error) => {
        if (answered) return;
        answered = true;
        reject(new PostFailure(error));
      });
      // A connection that breaks mid-answer closes without a complete answer.
      response.on("close", () => {
        if (answered) return;
        answered = true;
        reject(new PostFailure(new Error("the connection closed before the answer was complete")));
      });
      response.on("end", () => {
        if (answered || !response.complete) return;
        answered = true;
        const contentType = response.headers["content-type"];
        resolve({
          status: response.statusCode ?? 0,
          statusText: response.statusMessage ?? "",
          contentType,
          body: Buffer.concat(chunks).toString("utf8"),
        });
      });
    });
    request.end(init.body);
  });
};

/** POST through a `fetch` (the client's `fetch` option), read the same way. */
export function fetchPost(fetchImpl: typeof fetch): Post {
  return async (url, init) => {
    let response: Response;
    let body: string;
    try {
      response = await fetchImpl(url, {
        method: "POST",
        headers: init.headers,
        body: init.body,
        signal: init.signal,
      });
      body = await response.text();
    } catch (error) {
      // fetch puts the system error (ECONNREFUSED, …) in `cause`.
      throw new PostFailure(
        error instanceof Error && error.cause !== undefined ? error.cause : error,
      );
    }
    return {
      status: response.status,
      statusText: response.statusText,
      contentType: response.headers.get("content-type") ?? undefined,
      body,
    };
  };
}
