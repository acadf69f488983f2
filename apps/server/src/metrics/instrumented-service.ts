import {
  SERVICE_METHODS,
  type SecretsService,
  type ServiceOperation,
} from "../service/contract.js";
import type { OperationMetrics, ServerMetrics } from "./server-metrics.js";

type Method = (...args: unknown[]) => Promise<unknown>;

/**
 * The service as the transport sees it when metrics are on: each call of a method that
 * `SERVICE_METHODS` measures is counted and timed by operation and outcome (`authenticate`
 * answering no caller is `rejected`). The series are bound up front, so a call costs a clock
 * read, a counter add and a histogram observe.
 */
export function instrumentService(service: SecretsService, metrics: ServerMetrics): SecretsService {
  const instrumented: Record<string, Method> = {};
  for (const [method, how] of Object.entries(SERVICE_METHODS)) {
    const call = (service[method as keyof SecretsService] as Method).bind(service);
    instrumented[method] =
      how === "not measured"
        ? call
        : measured(
            call,
            metrics.operation((how === "operation" ? method : how) as ServiceOperation),
            method,
          );
  }
  return instrumented as unknown as SecretsService;
}

function measured(call: Method, operation: OperationMetrics, method: string): Method {
  const rejects = method === "authenticate";
  return async (...args) => {
    const started = performance.now();
    try {
      const result = await call(...args);
      if (rejects && result === undefined) operation.rejected(started);
      else operation.ok(started);
      return result;
    } catch (error) {
      operation.failed(started, error);
      throw error;
    }
  };
}
