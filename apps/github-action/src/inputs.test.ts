import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { getInput, INPUT_NAMES, readInputs } from "./inputs.js";

describe("readInputs", () => {
  it("reads INPUT_ variables as GitHub sets them: upper-cased, dashes kept, trimmed", () => {
    const inputs = readInputs({
      INPUT_ENDPOINT: "  https://hush.example.com\n",
      INPUT_SECRETS: "DB_URL\n\n  API_KEY  \nDB_URL,OTHER\n",
      "INPUT_ALLOW-ENV": "node_options\nPATH",
      INPUT_ENVIRONMENT: "",
    });
    expect(inputs).toEqual({
      endpoint: "https://hush.example.com",
      environment: undefined,
      secrets: ["DB_URL", "API_KEY", "OTHER"],
      token: undefined,
      audience: "hush",
      tenant: undefined,
      export: "env",
      allowEnv: new Set(["NODE_OPTIONS", "PATH"]),
    });
    expect(getInput({ "INPUT_ALLOW-ENV": " x " }, "allow-env")).toBe("x");
  });

  it("reads every secret when secrets is blank", () => {
    expect(readInputs({ INPUT_ENDPOINT: "http://h", INPUT_SECRETS: " \n " }).secrets).toBe(
      undefined,
    );
  });

  it("says which input to fix", () => {
    expect(() => readInputs({})).toThrow("The input endpoint is required");
    expect(() => readInputs({ INPUT_ENDPOINT: "http://h", INPUT_EXPORT: "ENV" })).toThrow(
      "The input export must be env (the job's environment) or outputs (this step's outputs); got \"ENV\".",
    );
  });
});

describe("action.yml", () => {
  const action = parse(readFileSync(new URL("../action.yml", import.meta.url), "utf8"));

  it("declares exactly the inputs the action reads, each described", () => {
    expect(Object.keys(action.inputs)).toEqual([...INPUT_NAMES]);
    for (const input of Object.values<{ description: string }>(action.inputs)) {
      expect(input.description.length).toBeGreaterThan(20);
    }
    expect(action.inputs.endpoint.required).toBe(true);
    expect(action.inputs.audience.default).toBe("hush");
    expect(action.inputs.export.default).toBe("env");
  });

  it("runs the bundle on node20", () => {
    expect(action.runs).toEqual({ using: "node20", main: "dist/index.js" });
  });
});
