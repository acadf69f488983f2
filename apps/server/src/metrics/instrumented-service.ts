import { API_METHODS } from "../service/api-methods.js";
import type { SecretsService } from "../service/contract.js";
import { measuredAs, type OperationMetrics, type ServerMetrics } from "./server-metrics.js";

type Method = (...args: unknown[]) => Promise<unknown>;

/**
 * The service as the transport sees it when metrics are on: each call of a method of the API
 * is counted and timed by operation (see `measuredAs`) and outcome (`authenticate` answering no
 * caller is `rejected`). The series are bound up front, so a call costs a clock read, a counter
 * add and a histogram observe.
 */
export function instrumentService(service: SecretsService, metrics: ServerMetrics): SecretsService {
  const methods = service as unknown as Record<string, Method>;
  const instrumented: Record<string, Method> = {};
  for (const method of API_METHODS) {
    // Looked up at each call, as a wrapper would: a stand-in service need not have them all.
    const call: Method = (...args) => methods[method]!(...args);
    const operation = measuredAs(method);
    instrumented[method] =
      operation === undefined ? call : measured(call, metrics.operation(operation), method);
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
