import type { CompiledQuery } from "kysely";
import type { WritePlan } from "../storage/write-plan.js";
import type { WriteJob, Writer } from "../storage/writer.js";
import type { ServerMetrics } from "./server-metrics.js";

/** A writer that counts what it has accepted and not committed yet, for the metrics. */
export class MeteredWriter implements Writer {
  readonly #inner: Writer;
  #jobs = 0;
  #statements = 0;
  readonly #jobDone = () => {
    this.#jobs--;
  };
  readonly #statementsDone = () => {
    this.#statements--;
  };

  readonly runPlan?: (plan: WritePlan, key?: string) => Promise<boolean>;

  constructor(inner: Writer, metrics: ServerMetrics) {
    this.#inner = inner;
    if (inner.runPlan !== undefined) {
      const runPlan = inner.runPlan.bind(inner);
      // A plan is a job, as the metrics count them.
      this.runPlan = (plan, key) => {
        this.#jobs++;
        const running = runPlan(plan, key);
        running.then(this.#jobDone, this.#jobDone);
        return running;
      };
    }
    metrics.watchWriter(() => ({ jobs: this.#jobs, statements: this.#statements }));
  }

  run<T>(job: WriteJob<T>, key?: string): Promise<T> {
    this.#jobs++;
    const running = this.#inner.run(job, key);
    running.then(this.#jobDone, this.#jobDone);
    return running;
  }

  runStatements(statements: () => readonly CompiledQuery[]): Promise<void> {
    this.#statements++;
    const running = this.#inner.runStatements(statements);
    running.then(this.#statementsDone, this.#statementsDone);
    return running;
  }

  drain(): Promise<void> {
    return this.#inner.drain();
  }

  ready(): Promise<void> {
    return this.#inner.ready();
  }
}
