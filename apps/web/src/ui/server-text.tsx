import { escapeForDisplay } from "@hush/schema/display-text";

/**
 * Text the server sent that people named (token names, audit actors, who changed a secret):
 * control, bidi and invisible characters are shown as escapes such as `\u202e` (the rule of
 * `@hush/schema/display-text`, the same the CLI applies), and `<bdi>` isolates the text's
 * direction from what surrounds it, so that a name can neither reorder nor hide the rest of
 * its row.
 */
export function ServerText({ text }: { text: string | null | undefined }) {
  return <bdi>{escapeForDisplay(text ?? "")}</bdi>;
}

/** {@link ServerText} as a plain string, for attributes and status messages. */
export function serverText(text: string): string {
  return escapeForDisplay(text);
}
