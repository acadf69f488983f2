import { describe, expect, it } from "vitest";
import { isStartupVariable, STARTUP_VARIABLES } from "./startup-variables.js";

describe("isStartupVariable", () => {
  it("matches the variables that make programs load or run other code, in any case", () => {
    for (const name of [
      "NODE_OPTIONS",
      "node_options",
      "NODE_EXTRA_CA_CERTS",
      "NODE_TLS_REJECT_UNAUTHORIZED",
      "LD_PRELOAD",
      "DYLD_INSERT_LIBRARIES",
      "BASH_ENV",
      "BASH_FUNC_ls%%",
      "ENV",
      "SHELLOPTS",
      "BASHOPTS",
      "PATH",
      "Path",
      "IFS",
      "PS1",
      "PS4",
      "PROMPT_COMMAND",
      "PYTHONSTARTUP",
      "PYTHONPATH",
      "PERL5OPT",
      "PERLLIB",
      "RUBYOPT",
      "RUBYLIB",
      "JAVA_TOOL_OPTIONS",
      "_JAVA_OPTIONS",
      "JDK_JAVA_OPTIONS",
      "GIT_SSH_COMMAND",
      "HOME",
      "SHELL",
      "npm_config_script_shell",
    ]) {
      expect(isStartupVariable(name), name).toBe(true);
    }
  });

  it("leaves ordinary configuration and credentials alone", () => {
    for (const name of [
      "NODE_ENV",
      "NODE_AUTH_TOKEN",
      "DB_URL",
      "API_KEY",
      "PATHS",
      "MY_PATH",
      "HOMEPAGE_URL",
      "ENVIRONMENT",
      "GITHUB_TOKEN",
      "db.url",
    ]) {
      expect(isStartupVariable(name), name).toBe(false);
    }
  });

  it("writes every name in upper case, a prefix with one trailing *", () => {
    for (const name of Object.values(STARTUP_VARIABLES).flat()) {
      expect(name).toMatch(/^[A-Z0-9_]+\*?$/);
    }
  });
});
