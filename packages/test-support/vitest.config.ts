import { hushProject } from "../../vitest.shared.js";

export default hushProject("@hush/test-support");
