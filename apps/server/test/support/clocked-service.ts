import { afterEach } from "vitest";
import type { HushService, OpenServiceOptions } from "../../src/index.js";
import type { OpenedBackend, TestBackend } from "./backends.js";

const START = Date.parse("2030-01-01T00:00:00Z");

/**
 * Services on `backend` whose clock the test moves forward (`advance`) instead of waiting; each
 * `open` starts the clock again, and the service is removed after each test.
 */
export function clockedServices(backend: TestBackend, defaults: Partial<OpenServiceOptions>) {
  let opened: OpenedBackend | undefined;
  let now = START;
  afterEach(async () => {
    await opened?.cleanup();
    opened = undefined;
  });
  return {
    async open(options: Partial<OpenServiceOptions> = {}): Promise<HushService> {
      now = START;
      opened = await backend.open({ clock: () => new Date(now), ...defaults, ...options });
      return opened.service;
    },
    advance(ms: number): void {
      now += ms;
    },
    /** The clock's time, in milliseconds. */
    now: (): number => now,
  };
}
