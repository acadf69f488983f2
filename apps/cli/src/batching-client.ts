import type { SecretsClient } from "@hush/core";

interface Pending {
  readonly name: string;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * A `SecretsClient` for `@hush/core` whose `secretValue` calls made together (in one turn of the
 * event loop, as `Promise.all(names.map(…))` makes them) are sent as one `secretValues` round
 * trip. Reading many secrets through `Secret` thus keeps core's lookup rules and costs one request.
 * Values in `known` (read from the server already, e.g. every secret at once) are answered as they
 * are, without a request.
 */
export function batchingClient(
  client: SecretsClient,
  known: Readonly<Record<string, unknown>> = {},
): SecretsClient {
  let queue: Pending[] = [];
  const me = client.me?.bind(client);
  const flush = () => {
    const batch = queue;
    queue = [];
    const names = [...new Set(batch.map((p) => p.name))];
    client.secretValues(names).then(
      (values) => {
        for (const p of batch) {
          if (Object.hasOwn(values, p.name)) p.resolve(values[p.name]);
          // Core turns a missing name into its not-found error; the server answers NOT_FOUND first.
          else p.reject(new Error(`the server's answer has no value for ${p.name}`));
        }
      },
      (error: unknown) => {
        for (const p of batch) p.reject(error);
      },
    );
  };
  return {
    secretValue(name) {
      if (Object.hasOwn(known, name)) return Promise.resolve(known[name]);
      return new Promise((resolve, reject) => {
        if (queue.length === 0) setImmediate(flush);
        queue.push({ name, resolve, reject });
      });
    },
    secretValues: (names) => client.secretValues(names),
    secretNames: () => client.secretNames(),
    ...(me === undefined ? {} : { me }),
  };
}
