import type { Command } from "commander";
import { type TrustCreateInput, trustCreate, trustDelete, trustList } from "../commands/trust.js";
import { type ContextFor, example } from "./declare.js";

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

export function declareTrust(program: Command, contextFor: ContextFor): void {
  const trust = program
    .command("trust")
    .description(
      "Create, list and delete identity trusts: which workloads (GitHub Actions, Kubernetes…) may exchange their OpenID Connect token for a short-lived API token (tenant admins).",
    );
  trust
    .command("create")
    .description("Trust an issuer's tokens with this audience and subject; prints the trust's id.")
    .requiredOption("--issuer <url>", "the issuer, as the tokens' iss claim says it")
    .requiredOption("--audience <aud>", "the audience the tokens must be issued for (aud)")
    .requiredOption("--subject <pattern>", "the subject (sub): exact, or a glob with *")
    .option("--claim <name=value>", "a further claim the tokens must carry (repeatable)", collect)
    .option("--role <role>", "the role of the issued tokens (default: RUNNER; never TENANT_ADMIN)")
    .option(
      "--env <name>",
      "an environment the issued tokens may use (repeatable, or comma-separated; default: all)",
      collect,
    )
    .option("--ttl <duration>", "how long an issued token lasts: 900, 15m, 1h (default: 15m)")
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      example(
        "hush trust create --issuer https://token.actions.githubusercontent.com --audience hush --subject 'repo:acme/app:ref:refs/heads/main' --env production",
        "hush trust create --issuer https://kubernetes.default.svc --audience hush --subject system:serviceaccount:apps:worker --ttl 1h",
      ),
    )
    .action((flags: TrustCreateInput, command: Command) => trustCreate(flags, contextFor(command)));
  trust
    .command("list")
    .description("List the tenant's identity trusts.")
    .option("--json", "print JSON")
    .addHelpText("after", example("hush trust list"))
    .action((flags: { json?: boolean }, command: Command) => trustList(flags, contextFor(command)));
  trust
    .command("delete")
    .description("Delete an identity trust; tokens it issued work until they expire.")
    .argument("<id>", "the trust's id (see `hush trust list`)")
    .addHelpText("after", example("hush trust delete <id>"))
    .action((id: string, _flags: object, command: Command) =>
      trustDelete({ id }, contextFor(command)),
    );
}
