import type { Command } from "commander";
import { login, logout } from "../commands/login.js";
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
    .addHelpText(
      "after",
      "\nThe config's [cloud] api_key and HUSH__CLOUD__API_KEY still win when set.\n" +
        example(
          "hush login",
          "hush login --endpoint https://hush.example.com",
          "hush login < token.txt",
        ),
    )
    .action((flags: { token?: string }, command: Command) => login(flags, contextFor(command)));

  program
    .command("logout")
    .description(
      "Forget the token saved for the endpoint (and the endpoint as the default server, if it was).",
    )
    .addHelpText("after", example("hush logout", "hush logout --endpoint https://hush.example.com"))
    .action((flags: object, command: Command) => logout(flags, contextFor(command)));
}
