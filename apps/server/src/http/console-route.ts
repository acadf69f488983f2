import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { extname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance, FastifyReply } from "fastify";
import { sendJson } from "./send-json.js";

/**
 * Where the server's build puts the web console (apps/web's bundle): `dist/console` beside
 * `dist/http`, in the repository and in the installed package alike.
 */
export const DEFAULT_CONSOLE_DIR: string = fileURLToPath(new URL("../console", import.meta.url));

/**
 * The console's policy: only this origin's scripts, styles, images, fonts and API; no inline
 * script or style, no plugins, no framing, forms post only here.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};

interface Asset {
  readonly body: Buffer;
  readonly type: string;
}

async function readBundle(dir: string): Promise<Map<string, Asset>> {
  const assets = new Map<string, Asset>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const type = TYPES[extname(entry.name)];
    if (type === undefined) continue;
    const url = `/${relative(dir, path).split(sep).join("/")}`;
    assets.set(url, { body: await readFile(path), type });
  }
  return assets;
}

function send(reply: FastifyReply, asset: Asset, immutable: boolean): FastifyReply {
  return reply
    .header("content-type", asset.type)
    .header("content-security-policy", CONSOLE_CSP)
    .header("x-content-type-options", "nosniff")
    .header("x-frame-options", "DENY")
    .header("referrer-policy", "no-referrer")
    .header("cross-origin-opener-policy", "same-origin")
    .header("cache-control", immutable ? "public, max-age=31536000, immutable" : "no-store")
    .send(asset.body);
}

/** Options of {@link registerConsoleRoutes}. */
export interface ConsoleRouteOptions {
  /** The built console (index.html, graphiql.html, assets/); `false` serves none. */
  dir: string | false;
  /** Also serve GraphiQL at `/graphiql`. */
  graphiql: boolean;
}

/**
 * `GET /` (the web console), `GET /assets/*` (its content-hashed files) and, with `graphiql`,
 * `GET /graphiql`, all under {@link CONSOLE_CSP}. The bundle is read once, here: only the files
 * it holds are ever served, so no request path reaches the file system.
 */
export async function registerConsoleRoutes(
  app: FastifyInstance,
  options: ConsoleRouteOptions,
): Promise<void> {
  const assets =
    options.dir !== false && existsSync(join(options.dir, "index.html"))
      ? await readBundle(options.dir)
      : new Map<string, Asset>();
  const notBuilt = (reply: FastifyReply) =>
    sendJson(reply, 404, {
      errors: [
        {
          message:
            "This hush-server was built without its web console (build apps/web, then the server). The API is POST /graphql.",
          extensions: { code: "NOT_FOUND" },
        },
      ],
    });
  const page = (file: string) => (_request: unknown, reply: FastifyReply) => {
    const asset = assets.get(file);
    return asset === undefined ? notBuilt(reply) : send(reply, asset, false);
  };

  app.get("/", page("/index.html"));
  if (options.graphiql) app.get("/graphiql", page("/graphiql.html"));
  app.get("/assets/*", (request, reply) => {
    const asset = assets.get(request.url.split("?")[0] ?? "");
    if (asset === undefined) return reply.callNotFound();
    return send(reply, asset, true);
  });
}
