import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";

/**
 * A credential the server returns once (a new token, a webhook's signing secret), with a copy
 * button: nothing can read it again, so the page says so and keeps it only until "Done".
 */
export function ShownOnce(props: {
  id: string;
  title: string;
  /** The field's label, e.g. "Token". */
  label: string;
  value: string;
  /** What the value is for, after "it is shown only this once". */
  children?: ComponentChildren;
  onDone(): void;
}) {
  const [copied, setCopied] = useState<string>("");
  async function copy() {
    try {
      await navigator.clipboard.writeText(props.value);
      setCopied("Copied to the clipboard.");
    } catch {
      setCopied(
        `The browser refused the clipboard: select the ${props.label.toLowerCase()} and copy it by hand.`,
      );
    }
  }
  return (
    <section class="panel shown-once" aria-labelledby={`${props.id}-title`}>
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      <p>Copy it now: it is shown only this once and cannot be read again.</p>
      {props.children}
      <label for={`${props.id}-value`}>{props.label}</label>
      <div class="copy-row">
        <input
          id={`${props.id}-value`}
          readOnly
          value={props.value}
          spellcheck={false}
          onFocus={(event) => event.currentTarget.select()}
        />
        <button type="button" onClick={copy}>
          Copy
        </button>
      </div>
      <p class="status" role="status">
        {copied}
      </p>
      <div class="actions">
        <button type="button" class="primary" onClick={props.onDone}>
          Done: hide it
        </button>
      </div>
    </section>
  );
}
