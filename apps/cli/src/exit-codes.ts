/** The `hush` command's exit codes, documented in `hush --help`. */
export const ExitCode = {
  OK: 0,
  /** Anything else went wrong. */
  ERROR: 1,
  /** `hush secrets diff`: the two environments differ (as diff(1) exits). */
  DIFFERENT: 1,
  /** The command line is wrong, or a confirmation is needed and cannot be asked. */
  USAGE: 2,
  /** The secret does not exist where the command looked. */
  NOT_FOUND: 3,
  /** No API token, an unknown one, or a role that may not do this. */
  AUTH: 4,
  /** The hush server could not be reached or did not answer in time. */
  UNREACHABLE: 5,
  /** Ctrl-C at a prompt (128 + SIGINT, as shells report it): nothing was changed. */
  CANCELLED: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export const EXIT_CODES_HELP = `Exit codes:
  0  ok
  1  error; for \`secrets diff\`: the environments differ
  2  usage error (bad arguments, or a confirmation that needs --yes)
  3  secret not found
  4  not authenticated, or forbidden for this token's role
  5  server unreachable
  130  cancelled at a prompt (Ctrl-C); nothing was changed`;
