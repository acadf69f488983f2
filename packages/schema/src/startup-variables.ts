/**
 * Environment variables that change how a program or its loader starts: they make it load or run
 * other code (`NODE_OPTIONS=--require …`, `LD_PRELOAD`, `BASH_ENV`, `PATH`…), read its settings
 * from elsewhere (`HOME`, `XDG_CONFIG_HOME`) or trust another certificate authority
 * (`NODE_EXTRA_CA_CERTS`, `SSL_CERT_FILE`). A secret with such a name could run code in every
 * program started with the secrets, which holds all of them; so `hush run` and
 * `hush export --format shell|dotenv` leave these out unless the caller names them, and only a
 * tenant admin may set a secret with such a name on the server.
 *
 * Names match case-insensitively (Windows' environment does not tell `Path` from `PATH`). A
 * name ending in `*` stands for every name that starts with what comes before it.
 */
export const STARTUP_VARIABLES = {
  "dynamic loaders (glibc, musl, macOS)": [
    "LD_*",
    "DYLD_*",
    // What glibc drops for setuid programs (its UNSECURE_ENVVARS), LD_* aside.
    "GCONV_PATH",
    "GETCONF_DIR",
    "GLIBC_TUNABLES",
    "HOSTALIASES",
    "LOCALDOMAIN",
    "LOCPATH",
    "MALLOC_TRACE",
    "NIS_PATH",
    "NLSPATH",
    "RESOLV_HOST_CONF",
    "RES_OPTIONS",
    "TMPDIR",
    "TZDIR",
  ],
  "shells and the commands they find": [
    "PATH",
    "HOME",
    "SHELL",
    "ENV",
    "BASH_*",
    "BASHOPTS",
    "SHELLOPTS",
    "IFS",
    "PS1",
    "PS2",
    "PS3",
    "PS4",
    "PROMPT_COMMAND",
    "CDPATH",
    "GLOBIGNORE",
    "FPATH",
    "ZDOTDIR",
    "XDG_*",
  ],
  "programs other programs start": [
    "EDITOR",
    "VISUAL",
    "PAGER",
    "MANPAGER",
    "BROWSER",
    "LESSOPEN",
    "LESSCLOSE",
    "SSH_ASKPASS",
    "SUDO_ASKPASS",
    "GIT_*",
  ],
  "Node.js": [
    // Node's own variables; NODE_ENV is ordinary configuration and NODE_AUTH_TOKEN a credential.
    "NODE_OPTIONS",
    "NODE_PATH",
    "NODE_EXTRA_CA_CERTS",
    "NODE_USE_SYSTEM_CA",
    "NODE_TLS_REJECT_UNAUTHORIZED",
    "NODE_ICU_DATA",
    "NODE_REPL_EXTERNAL_MODULE",
    "NODE_PRESERVE_SYMLINKS",
    "NODE_COMPILE_CACHE",
    "NODE_REDIRECT_WARNINGS",
    "NODE_DEBUG",
    "NODE_DEBUG_NATIVE",
    "NODE_NO_WARNINGS",
    "NODE_CHANNEL_FD",
    "NODE_CHANNEL_SERIALIZATION_MODE",
    "NODE_UNIQUE_ID",
    "NODE_TEST_CONTEXT",
    "NODE_USE_ENV_PROXY",
    "NPM_CONFIG_*",
    "YARN_RC_FILENAME",
    "YARN_YARN_PATH",
    "ELECTRON_RUN_AS_NODE",
  ],
  "other language runtimes": [
    "PYTHON*",
    "PERL5*",
    "PERLLIB",
    "RUBYOPT",
    "RUBYLIB",
    "RUBYPATH",
    "RUBYSHELL",
    "BUNDLE_GEMFILE",
    "GEM_HOME",
    "GEM_PATH",
    "JAVA_TOOL_OPTIONS",
    "_JAVA_OPTIONS",
    "JDK_JAVA_OPTIONS",
    "JAVA_OPTS",
    "JAVA_HOME",
    "CLASSPATH",
    "MAVEN_OPTS",
    "GRADLE_OPTS",
    "DOTNET_STARTUP_HOOKS",
    "DOTNET_ADDITIONAL_DEPS",
    "CORECLR_*",
    "COR_PROFILER*",
    "COR_ENABLE_PROFILING",
    "GOFLAGS",
    "GOENV",
    "GOROOT",
    "GOTOOLCHAIN",
    "GOPROXY",
    "LUA_INIT*",
    "LUA_PATH*",
    "LUA_CPATH*",
    "PHPRC",
    "PHP_INI_SCAN_DIR",
    "R_PROFILE*",
    "R_ENVIRON*",
  ],
  "TLS trust": [
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "CURL_CA_BUNDLE",
    "REQUESTS_CA_BUNDLE",
    "OPENSSL_CONF",
    "OPENSSL_ENGINES",
    "OPENSSL_MODULES",
  ],
} as const satisfies Record<string, readonly string[]>;

const patterns = Object.values(STARTUP_VARIABLES).flat() as readonly string[];
const exact = new Set(patterns.filter((p) => !p.endsWith("*")));
const prefixes = patterns.filter((p) => p.endsWith("*")).map((p) => p.slice(0, -1));

/**
 * Whether an environment variable called `name` changes how a program or its loader starts
 * (see {@link STARTUP_VARIABLES}); case-insensitive.
 *
 * @example
 * isStartupVariable("NODE_OPTIONS"); // true
 * isStartupVariable("ld_preload"); // true
 * isStartupVariable("NODE_ENV"); // false
 */
export function isStartupVariable(name: string): boolean {
  const upper = name.toUpperCase();
  return exact.has(upper) || prefixes.some((prefix) => upper.startsWith(prefix));
}

/** Why a start-up variable is left out or refused, for messages: "it changes how programs start". */
export const STARTUP_VARIABLE_REASON = "it changes how programs start";
