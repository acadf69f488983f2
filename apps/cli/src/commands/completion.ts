import type { Command } from "commander";

/** The shells `hush completion` writes a script for. */
export const SHELLS = ["bash", "zsh", "fish"] as const;

/** A completion script listing hush's commands, subcommands and options, for one shell. */
export function completionScript(program: Command, shell: (typeof SHELLS)[number]): string {
  const top = program.commands.map((c) => c.name());
  const subs = new Map(program.commands.map((c) => [c.name(), c.commands.map((s) => s.name())]));
  const options = (c: Command) =>
    c.options.map((o) => o.long).filter((o): o is string => o !== undefined);
  const leafOptions = new Map<string, string[]>();
  for (const c of program.commands) {
    leafOptions.set(c.name(), options(c));
    for (const s of c.commands) leafOptions.set(`${c.name()} ${s.name()}`, options(s));
  }
  const globals = options(program);

  if (shell === "fish") {
    const lines = [
      "# fish completion for hush",
      "complete -c hush -f",
      ...top.map((name) => `complete -c hush -n __fish_use_subcommand -a ${name}`),
      ...[...subs].flatMap(([name, list]) =>
        list.map((sub) => `complete -c hush -n '__fish_seen_subcommand_from ${name}' -a ${sub}`),
      ),
      ...globals.map((o) => `complete -c hush -l ${o.slice(2)}`),
      ...[...leafOptions].flatMap(([path, list]) =>
        list.map(
          (o) =>
            `complete -c hush -n '__fish_seen_subcommand_from ${path.split(" ").at(-1)}' -l ${o.slice(2)}`,
        ),
      ),
    ];
    return `${lines.join("\n")}\n`;
  }

  const cases = [...subs]
    .filter(([, list]) => list.length > 0)
    .map(([name, list]) => `    ${name}) words="${list.join(" ")}" ;;`)
    .join("\n");
  const optionCases = [...leafOptions]
    .map(([path, list]) => `    "${path}") words="${[...list, ...globals].join(" ")}" ;;`)
    .join("\n");
  const bash = `# bash completion for hush
_hush() {
  local cur words path
  cur="\${COMP_WORDS[COMP_CWORD]}"
  path="\${COMP_WORDS[*]:1:COMP_CWORD-1}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    words="${top.join(" ")} ${globals.join(" ")}"
  elif [[ "$cur" == -* ]]; then
    case "$path" in
${optionCases}
    *) words="${globals.join(" ")}" ;;
    esac
  elif [ "$COMP_CWORD" -eq 2 ]; then
    case "\${COMP_WORDS[1]}" in
${cases}
    *) words="" ;;
    esac
  fi
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F _hush hush
`;
  if (shell === "bash") return bash;
  return `#compdef hush
# zsh completion for hush (through bash completion)
autoload -U +X bashcompinit && bashcompinit
${bash}`;
}
