import type {
  ApiTokenMeta,
  AuditEventRecord,
  AuditEventsQuery,
  Caller,
  ListSecretsQuery,
  Role,
  SecretMeta,
  SecretsService,
  SecretVersionMeta,
  SecretWritten,
  SetSecretsOptions,
} from "../service/contract.js";
import type { RawJson } from "../service/raw-json.js";
import type { ReadBudget } from "../service/read-budget.js";
import {
  OPERATIONS,
  type Operation,
  type OperationMetrics,
  type ServerMetrics,
} from "./server-metrics.js";

/**
 * The service as the transport sees it when metrics are on: each call is counted and timed by
 * operation and outcome. The series are bound up front, so a call costs a clock read, a counter
 * add and a histogram observe.
 */
export class InstrumentedService implements SecretsService {
  readonly #service: SecretsService;
  readonly #m: Record<Operation, OperationMetrics>;

  constructor(service: SecretsService, metrics: ServerMetrics) {
    this.#service = service;
    const m = {} as Record<Operation, OperationMetrics>;
    for (const name of OPERATIONS) m[name] = metrics.operation(name);
    this.#m = m;
  }

  async authenticate(token: string): Promise<Caller | undefined> {
    const started = performance.now();
    try {
      const caller = await this.#service.authenticate(token);
      if (caller === undefined) this.#m.authenticate.rejected(started);
      else this.#m.authenticate.ok(started);
      return caller;
    } catch (error) {
      this.#m.authenticate.failed(started, error);
      throw error;
    }
  }

  async #measure<T>(operation: OperationMetrics, started: number, running: Promise<T>) {
    try {
      const result = await running;
      operation.ok(started);
      return result;
    } catch (error) {
      operation.failed(started, error);
      throw error;
    }
  }

  setSecret(caller: Caller, name: string, value: unknown): Promise<{ version: number }> {
    const started = performance.now();
    return this.#measure(this.#m.setSecret, started, this.#service.setSecret(caller, name, value));
  }

  setSecrets(
    caller: Caller,
    entries: ReadonlyArray<{ name: string; value: unknown }>,
    options?: SetSecretsOptions,
  ): Promise<SecretWritten[]> {
    const started = performance.now();
    return this.#measure(
      this.#m.setSecrets,
      started,
      this.#service.setSecrets(caller, entries, options),
    );
  }

  deleteSecret(caller: Caller, name: string): Promise<void> {
    const started = performance.now();
    return this.#measure(this.#m.deleteSecret, started, this.#service.deleteSecret(caller, name));
  }

  rollbackSecret(caller: Caller, name: string, version: number): Promise<{ version: number }> {
    const started = performance.now();
    return this.#measure(
      this.#m.rollbackSecret,
      started,
      this.#service.rollbackSecret(caller, name, version),
    );
  }

  // Weighing a request is part of its value reads, which are measured: not an operation itself.
  admitValueReads(
    caller: Caller | undefined,
    reads: ReadonlyArray<readonly unknown[] | undefined>,
  ): Promise<ReadBudget> {
    return this.#service.admitValueReads(caller, reads);
  }

  secretValue(caller: Caller, name: string, budget?: ReadBudget): Promise<unknown> {
    const started = performance.now();
    return this.#measure(
      this.#m.secretValue,
      started,
      this.#service.secretValue(caller, name, budget),
    );
  }

  secretValues(
    caller: Caller,
    names: readonly string[] | undefined,
    budget?: ReadBudget,
  ): Promise<Record<string, unknown>> {
    const started = performance.now();
    return this.#measure(
      this.#m.secretValues,
      started,
      this.#service.secretValues(caller, names, budget),
    );
  }

  secretValuesJson(
    caller: Caller,
    names: readonly string[] | undefined,
    budget?: ReadBudget,
  ): Promise<Record<string, RawJson>> {
    const started = performance.now();
    return this.#measure(
      this.#m.secretValues,
      started,
      this.#service.secretValuesJson(caller, names, budget),
    );
  }

  secretNames(caller: Caller): Promise<string[]> {
    const started = performance.now();
    return this.#measure(this.#m.secretNames, started, this.#service.secretNames(caller));
  }

  listSecrets(caller: Caller, query: ListSecretsQuery): Promise<SecretMeta[]> {
    const started = performance.now();
    return this.#measure(this.#m.listSecrets, started, this.#service.listSecrets(caller, query));
  }

  secretVersions(caller: Caller, name: string): Promise<SecretVersionMeta[]> {
    const started = performance.now();
    return this.#measure(
      this.#m.secretVersions,
      started,
      this.#service.secretVersions(caller, name),
    );
  }

  createApiToken(
    caller: Caller,
    input: { name: string; role: Role; expiresAt?: Date | null },
  ): Promise<{ token: string; apiToken: ApiTokenMeta }> {
    const started = performance.now();
    return this.#measure(
      this.#m.createApiToken,
      started,
      this.#service.createApiToken(caller, input),
    );
  }

  apiTokens(caller: Caller): Promise<ApiTokenMeta[]> {
    const started = performance.now();
    return this.#measure(this.#m.apiTokens, started, this.#service.apiTokens(caller));
  }

  revokeApiToken(caller: Caller, id: string): Promise<void> {
    const started = performance.now();
    return this.#measure(this.#m.revokeApiToken, started, this.#service.revokeApiToken(caller, id));
  }

  auditEvents(caller: Caller, query: AuditEventsQuery): Promise<AuditEventRecord[]> {
    const started = performance.now();
    return this.#measure(this.#m.auditEvents, started, this.#service.auditEvents(caller, query));
  }

  ready(): Promise<void> {
    return this.#service.ready();
  }

  close(): Promise<void> {
    return this.#service.close();
  }
}
