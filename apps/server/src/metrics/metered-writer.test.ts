import { describe, expect, it } from "vitest";
import type { Writer } from "../storage/writer.js";
import { MeteredWriter } from "./metered-writer.js";
import { ServerMetrics } from "./server-metrics.js";

function gated(): { writer: Writer; open(): void } {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const writer: Writer = {
    run: async () => gate as never,
    runStatements: () => gate,
    drain: () => gate,
    ready: async () => {},
  };
  return { writer, open };
}

const sample = (text: string, name: string) =>
  Number(
    text
      .split("\n")
      .find((l) => l.startsWith(`${name} `))
      ?.slice(name.length + 1),
  );

describe("the writer queue and audit backlog gauges", () => {
  it("count what was accepted and is not committed yet, failures included", async () => {
    const metrics = new ServerMetrics();
    const { writer, open } = gated();
    const metered = new MeteredWriter(writer, metrics);
    const jobs = [metered.run(async () => 1), metered.run(async () => 2)];
    const audit = metered.runStatements(() => []);
    let text = await metrics.scrape();
    expect(sample(text, "hush_writer_queue_depth")).toBe(2);
    expect(sample(text, "hush_audit_backlog")).toBe(1);
    open();
    await Promise.all([...jobs, audit]);
    text = await metrics.scrape();
    expect(sample(text, "hush_writer_queue_depth")).toBe(0);
    expect(sample(text, "hush_audit_backlog")).toBe(0);

    const failing = new MeteredWriter(
      {
        run: () => Promise.reject(new Error("disk full")),
        runStatements: async () => {},
        drain: async () => {},
        ready: async () => {},
      },
      metrics,
    );
    await expect(failing.run(async () => 0)).rejects.toThrow("disk full");
    expect(sample(await metrics.scrape(), "hush_writer_queue_depth")).toBe(0);
  });
});
