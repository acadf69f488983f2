export type {
  FakeFault,
  FakeRequest,
  FakeServer,
  FakeServerOptions,
} from "./start-fake-server.js";
export { startFakeServer } from "./start-fake-server.js";
