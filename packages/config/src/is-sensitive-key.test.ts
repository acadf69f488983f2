import { describe, expect, it } from "vitest";
import { isSensitiveKey } from "./index.js";

describe("isSensitiveKey", () => {
  it("is true for cloud.api_key and everything under context.secrets", () => {
    for (const path of [
      "cloud.api_key",
      "context.secrets",
      "context.secrets.TOKEN",
      "context.secrets.AWS.Key",
    ]) {
      expect(isSensitiveKey(path), path).toBe(true);
    }
  });

  it("is false for other keys, including look-alikes", () => {
    for (const path of [
      "cloud.endpoint",
      "backend",
      "context",
      "context.secretsX",
      "context.flow_id",
      "cloud.api_key_hint",
      "other.context.secrets.X",
    ]) {
      expect(isSensitiveKey(path), path).toBe(false);
    }
  });
});
