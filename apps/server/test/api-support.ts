import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { type BuildAppOptions, buildApp } from "../src/http/app.js";
import type { HushService, OpenServiceOptions } from "../src/index.js";
import type { OpenedBackend, TestBackend } from "./support/backends.js";
import { type SeededTenant, seedTenant } from "./support/seed.js";

/** A GraphQL error as the API sends it. */
export interface ApiError {
  message: string;
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
  extensions: { code: string; [key: string]: unknown };
}

/** A response of the GraphQL route, parsed. */
export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: { data?: Record<string, unknown> | null; errors?: ApiError[] };
  raw: string;
}

export interface GqlOptions {
  variables?: Record<string, unknown>;
  operationName?: string;
  /** A bearer token, or a whole Authorization header with `authorization`. */
  token?: string;
  authorization?: string;
}

/** An app over a real service on one backend, with two seeded tenants ("acme" and "globex"). */
export interface ApiFixture {
  app: FastifyInstance;
  service: HushService;
  backend: OpenedBackend;
  acme: SeededTenant;
  globex: SeededTenant;
  /** POST /graphql with a JSON body. */
  gql(query: string, options?: GqlOptions): Promise<ApiResponse>;
  close(): Promise<void>;
}

export async function openApi(
  backend: TestBackend,
  options: {
    logger?: Logger | false;
    /** More options of the service and of the app (metrics, rate limits…). */
    service?: Partial<OpenServiceOptions>;
    app?: Partial<BuildAppOptions>;
  } = {},
): Promise<ApiFixture> {
  // The service logs to the same logger, so log tests see every line the server writes.
  const opened = await backend.open({
    ...(options.logger ? { logger: options.logger } : {}),
    ...options.service,
  });
  const service = opened.service;
  const app = await buildApp({ service, logger: options.logger ?? false, ...options.app });
  const acme = await seedTenant(service, "acme");
  const globex = await seedTenant(service, "globex");
  return {
    app,
    service,
    backend: opened,
    acme,
    globex,
    async gql(query, { variables, operationName, token, authorization } = {}) {
      const headers: Record<string, string> = { "content-type": "application/json" };
      const auth = authorization ?? (token === undefined ? undefined : `Bearer ${token}`);
      if (auth !== undefined) headers.authorization = auth;
      const response = await app.inject({
        method: "POST",
        url: "/graphql",
        headers,
        payload: JSON.stringify({ query, variables, operationName }),
      });
      return {
        status: response.statusCode,
        headers: response.headers,
        body: response.json(),
        raw: response.body,
      };
    },
    async close() {
      await app.close();
      await opened.cleanup();
    },
  };
}

/**
 * Opens the API before the enclosing suite's tests and closes it after them. `opened` receives
 * it once it is open (to keep it and seed it); the suites that share one set-up call this.
 */
export function openApiForSuite(
  backend: TestBackend,
  opened: (api: ApiFixture) => void | Promise<void>,
): void {
  let api: ApiFixture | undefined;
  beforeAll(async () => {
    api = await openApi(backend);
    await opened(api);
  });
  afterAll(async () => {
    await api?.close();
  });
}

/**
 * For suites that send hostile input: a secret set before the suite, read back after every test,
 * so that whatever a test sent, the server is seen to keep serving normal requests.
 */
export function expectStillServing(api: () => ApiFixture): void {
  beforeAll(async () => {
    await api().service.setSecret(api().acme.callers.TENANT_ADMIN, "STILL_HERE", "yes");
  });
  afterEach(async () => {
    const token = api().acme.tokens.TENANT_ADMIN;
    const response = await api().gql('{ secretValue(name: "STILL_HERE") }', { token });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ data: { secretValue: "yes" } });
  });
}

/** The codes of a response's errors, in order. */
export function codes(response: ApiResponse): string[] {
  return (response.body.errors ?? []).map((error) => error.extensions.code);
}

/** `data[field]` of a response that must have no errors. */
export function fieldOf<T>(response: ApiResponse, field: string): T {
  if (response.body.errors !== undefined || !response.body.data) {
    throw new Error(`expected data without errors, got ${response.raw}`);
  }
  return response.body.data[field] as T;
}
