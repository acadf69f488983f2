import { hushProject } from "../vitest.shared.js";

export default hushProject("@hush/integration-tests", { testTimeout: 20_000 });
