import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { HUSH_SERVER_BIN, startHushServer as startHushProcess } from "@hush/test-support";

// The built `hush-server`, whose build carries the console (the root test command builds first).
const BIN = HUSH_SERVER_BIN;
const CONSOLE = join(dirname(BIN), "console", "index.html");

export type Role = "TENANT_ADMIN" | "USER" | "RUNNER" | "READ_ONLY_USER";

/** A real `hush-server start --dev` on a free loopback port, on a fresh data folder. */
export interface HushServer {
  readonly url: string;
  /** The tenant admin token that `hush-server init` printed. */
  readonly adminToken: string;
  /** Creates a token through the API with the admin token. */
  createToken(role: Role, name: string, expiresAt?: string): Promise<{ id: string; token: string }>;
  /** Sends GraphQL with a token; resolves to the parsed answer. */
  graphql(
    token: string,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{ data?: Record<string, unknown>; errors?: Array<{ message: string }> }>;
  stop(): Promise<void>;
}

function childEnv(home: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? "", HOME: home };
}

function run(args: string[], home: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [BIN, ...args], { env: childEnv(home) }, (error, stdout, stderr) =>
      error === null ? resolve(stdout) : reject(new Error(`hush-server ${args[0]}: ${stderr}`)),
    );
  });
}

export async function startHushServer(): Promise<HushServer> {
  if (!existsSync(BIN) || !existsSync(CONSOLE)) {
    throw new Error(
      `${BIN} or its console is missing: build first with pnpm build (or pnpm turbo run build --filter=@hush/server...).`,
    );
  }
  const home = await mkdtemp(join(tmpdir(), "hush-web-"));
  const dataDir = join(home, "data");
  const init = JSON.parse(await run(["init", "--data-dir", dataDir, "--json"], home)) as {
    token: string;
  };
  const server = await startHushProcess(["--data-dir", dataDir, "--dev"], { env: childEnv(home) });
  const { url } = server;

  const graphql: HushServer["graphql"] = async (token, query, variables) => {
    const response = await fetch(`${url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as Awaited<ReturnType<HushServer["graphql"]>>;
  };

  return {
    url,
    adminToken: init.token,
    graphql,
    async createToken(role, name, expiresAt) {
      const answer = await graphql(
        init.token,
        `mutation ($name: String!, $role: Role!, $expiresAt: DateTime) {
          createApiToken(input: { name: $name, role: $role, expiresAt: $expiresAt }) { id token }
        }`,
        { name, role, expiresAt },
      );
      if (answer.errors) throw new Error(answer.errors[0]!.message);
      return answer.data!.createApiToken as { id: string; token: string };
    },
    async stop() {
      await server.stop();
      await rm(home, { recursive: true, force: true });
    },
  };
}
