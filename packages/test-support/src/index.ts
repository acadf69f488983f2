export { closedEndpoint } from "./closed-endpoint.js";
export { expectNoLeak } from "./expect-no-leak.js";
export { type FsRecordingFsyncs, recordingFsyncs } from "./fsync-recorder.js";
export { listenForTest } from "./listen-for-test.js";
export { rejection } from "./rejection.js";
export {
  HUSH_SERVER_BIN,
  type HushServerExit,
  type HushServerProcess,
  type StartHushServerOptions,
  startHushServer,
} from "./start-hush-server.mjs";
export { testDir } from "./test-dir.js";
export {
  type SignOptions,
  startTestIssuer,
  type TestIssuer,
  type TestIssuerAlgorithm,
} from "./test-issuer.js";
