import { describe, expect, it } from "vitest";
import { escapeData, workflowCommand } from "./workflow-commands.js";

describe("workflowCommand", () => {
  it("escapes %, CR and LF so that data cannot end the command or start another", () => {
    expect(escapeData("100%\r\n::error::x")).toBe("100%25%0D%0A::error::x");
    expect(workflowCommand("add-mask", "a\nb")).toBe("::add-mask::a%0Ab\n");
  });
});
