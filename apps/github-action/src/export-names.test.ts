import { describe, expect, it } from "vitest";
import { checkExportNames } from "./export-names.js";

describe("checkExportNames", () => {
  it("takes ordinary variable names, NODE_ENV among them", () => {
    expect(() => checkExportNames(["DB_URL", "_x1", "NODE_ENV"], "env", new Set())).not.toThrow();
  });

  it("matches reserved and start-up names in any case, as Windows runners' environment does", () => {
    expect(() => checkExportNames(["github_sha", "Path"], "env", new Set())).toThrow(
      /github_sha: GitHub reserves .* Path: as environment variables/,
    );
    expect(() => checkExportNames(["Path"], "env", new Set(["PATH"]))).not.toThrow();
  });

  it("lets outputs take dashes, and none of the environment's rules", () => {
    expect(() =>
      checkExportNames(["my-key", "NODE_OPTIONS", "GITHUB_X"], "outputs", new Set()),
    ).not.toThrow();
    expect(() => checkExportNames(["1st", "a.b"], "outputs", new Set())).toThrow(
      "1st, a.b: not output names",
    );
    expect(() => checkExportNames(["a.b"], "env", new Set())).toThrow(
      "a.b: not environment variable names",
    );
  });
});
