import { hushProject } from "../../vitest.shared.js";

// A browser, a server and a page per file: more than the default unit-test budget.
export default hushProject("@hush/web", { testTimeout: 120_000 });
