import type { Command } from "commander";
import { type LoginInput, login, logout } from "../commands/login.js";
import { type ContextFor, example } from "./declare.js";

export function declareLogin(program: Command, contextFor: ContextFor): void {
  program
    .command("login")
    .description(
      "Check an API token with the server and save it for that endpoint in ~/.hush/auth.toml (mode 0600).",
    )
    .option(
      "--token <token>",
      "the token (else a hidden prompt, or stdin; it stays in shell history)",
    )
    .option(
      "--oidc",
      "exchange a workload identity token (a file, or GitHub Actions') for a short-lived token and save that",
    )
    .option(
      "--identity-token-file <file>",
      "with --oidc: the identity token (default: [cloud] identity_token_file, else GitHub Actions')",
    )
    .option(
      "--audience <aud>",
      "with --oidc: the audience to ask GitHub Actions for (default: [cloud] audience, hush)",
    )
    .option(
      "--tenant <name>",
      "with --oidc: the tenant (default: [cloud] tenant, else the one whose trust matches)",
    )
    .addHelpText(
      "after",
      "\nThe config's [cloud] api_key and HUSH__CLOUD__API_KEY still win when set. With --oidc, only the\n" +
        "short-lived token is saved, with its expiry (never the identity token).\n" +
        example(
          "hush login",
          "hush login --endpoint https://hush.example.com",
          "hush login < token.txt",
          "hush login --oidc --identity-token-file /var/run/secrets/hush/token",
          "hush login --oidc --audience hush   # in a GitHub Actions job with id-token: write",
        ),
    )
    .action((flags: LoginInput, command: Command) => login(flags, contextFor(command)));

  program
    .command("logout")
    .description(
      "Forget the token saved for the endpoint (and the endpoint as the default server, if it was).",
    )
    .addHelpText("after", example("hush logout", "hush logout --endpoint https://hush.example.com"))
    .action((flags: object, command: Command) => logout(flags, contextFor(command)));
}
