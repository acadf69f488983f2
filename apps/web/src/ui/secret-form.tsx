import { SetSecretDocument } from "@hush/graphql/documents";
import { useRef, useState } from "preact/hooks";
import { useSession } from "../api/session.js";
import { ProblemBanner } from "./problem-banner.js";

interface SecretFormProps {
  /** The secret to write a new version of; a new secret when absent. */
  name?: string;
  onSaved(name: string, version: number): void;
  onCancel(): void;
}

/** Where in the text `JSON.parse` stopped, without quoting the text (it is a secret). */
function jsonProblem(error: unknown): string {
  const position = /position (\d+)/.exec(String((error as Error).message))?.[1];
  return `The value is not valid JSON${position === undefined ? "" : ` (at character ${Number(position) + 1})`}: check quotes, commas and brackets, or switch to Text.`;
}

/**
 * Sets a secret. The value is write-only: the field starts empty, the current value is never
 * read, and the field is emptied once the write is acknowledged.
 */
export function SecretForm({ name: fixedName, onSaved, onCancel }: SecretFormProps) {
  const session = useSession();
  const [name, setName] = useState(fixedName ?? "");
  const [mode, setMode] = useState<"text" | "json">("text");
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // The value stays in the field only, not in component state, so it is in one place.
  const valueField = useRef<HTMLInputElement & HTMLTextAreaElement>(null);

  async function submit(event: Event) {
    event.preventDefault();
    const field = valueField.current!;
    let value: unknown = field.value;
    if (mode === "json") {
      try {
        value = JSON.parse(field.value);
      } catch (error) {
        setProblem(new Error(jsonProblem(error)));
        field.focus();
        return;
      }
    }
    setBusy(true);
    setProblem(null);
    try {
      const { setSecret } = await session.call(SetSecretDocument, { name: name.trim(), value });
      field.value = "";
      onSaved(name.trim(), setSecret.version);
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  }

  const title = fixedName === undefined ? "New secret" : `New value for ${fixedName}`;
  return (
    <form class="panel" onSubmit={submit} autoComplete="off" aria-labelledby="secret-form-title">
      <h2 id="secret-form-title">{title}</h2>
      {fixedName === undefined && (
        <>
          <label for="secret-name">Name</label>
          <input
            id="secret-name"
            value={name}
            onInput={(event) => setName(event.currentTarget.value)}
            required
            maxLength={255}
            spellcheck={false}
            autoComplete="off"
            aria-describedby="secret-name-hint"
          />
          <p id="secret-name-hint" class="hint">
            Letters, digits, <code>_</code>, <code>.</code> and <code>-</code>; not starting with{" "}
            <code>.</code>
          </p>
        </>
      )}
      <fieldset>
        <legend>Value type</legend>
        <label class="inline">
          <input
            type="radio"
            name="mode"
            checked={mode === "text"}
            onChange={() => setMode("text")}
          />
          Text
        </label>
        <label class="inline">
          <input
            type="radio"
            name="mode"
            checked={mode === "json"}
            onChange={() => setMode("json")}
          />
          JSON (checked before it is sent)
        </label>
      </fieldset>
      <label for="secret-value">Value</label>
      {mode === "text" ? (
        <input
          key="text"
          id="secret-value"
          ref={valueField}
          type="password"
          autoComplete="new-password"
          spellcheck={false}
          aria-describedby="secret-value-hint"
        />
      ) : (
        <textarea
          key="json"
          id="secret-value"
          ref={valueField}
          rows={6}
          spellcheck={false}
          autoComplete="off"
          placeholder='{"user": "app", "password": "…"}'
          aria-describedby="secret-value-hint"
        />
      )}
      <p id="secret-value-hint" class="hint">
        Write-only: the current value is never shown, and this field is emptied once saved.
      </p>
      <ProblemBanner problem={problem} />
      <div class="actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? "Saving…" : "Save"}
        </button>
      </div>
    </form>
  );
}
