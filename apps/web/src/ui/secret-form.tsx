import { SecretsDocument, SetSecretDocument } from "@hush/graphql/documents";
import { SECRET_NAME_RULE, secretNameError } from "@hush/schema/secret-name";
import { useRef, useState } from "preact/hooks";
import { useSignedIn } from "../api/signed-in.js";
import { ConfirmDialog } from "./confirm-dialog.js";
import { ProblemBanner } from "./problem-banner.js";

interface SecretFormProps {
  /** The secret to write a new version of; a new secret when absent. */
  name?: string;
  onSaved(name: string, version: number): void;
  onCancel(): void;
}

/** The rule in words, as a sentence: "Names use only letters, …". */
const NAME_HINT = `${SECRET_NAME_RULE.message[0]!.toUpperCase()}${SECRET_NAME_RULE.message.slice(1)}.`;

/** Where in the text `JSON.parse` stopped, without quoting the text (it is a secret). */
function jsonProblem(error: unknown): string {
  const position = /position (\d+)/.exec(String((error as Error).message))?.[1];
  return `The value is not valid JSON${position === undefined ? "" : ` (at character ${Number(position) + 1})`}: check quotes, commas and brackets, or switch to Text.`;
}

/**
 * Sets a secret. The value is write-only: the field starts empty, the current value is never
 * read, and the field is emptied once the write is acknowledged. It is a textarea, so that a
 * multi-line value (a PEM key) can be entered, masked until "Show value" is pressed. A new
 * secret whose name exists already is written only once the user confirms the replacement.
 */
export function SecretForm({ name: fixedName, onSaved, onCancel }: SecretFormProps) {
  const session = useSignedIn();
  const [name, setName] = useState(fixedName ?? "");
  const [mode, setMode] = useState<"text" | "json">("text");
  const [shown, setShown] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [replacing, setReplacing] = useState<{ name: string; version: number } | null>(null);
  // The value stays in the field only, not in component state, so it is in one place.
  const valueField = useRef<HTMLTextAreaElement>(null);

  /** The value to send, or undefined when JSON mode finds it invalid (the problem is shown). */
  function readValue(): { value: unknown } | undefined {
    const field = valueField.current!;
    if (mode === "text") return { value: field.value };
    try {
      return { value: JSON.parse(field.value) };
    } catch (error) {
      setProblem(new Error(jsonProblem(error)));
      field.focus();
      return undefined;
    }
  }

  async function submit(event: Event) {
    event.preventDefault();
    if (readValue() === undefined) return;
    const target = name.trim();
    if (fixedName === undefined) {
      setBusy(true);
      try {
        const { secret } = await session.call(SecretsDocument, {
          where: { name: { _eq: target } },
          limit: 1,
          environment: session.environment,
        });
        const existing = secret[0];
        if (existing !== undefined) {
          setReplacing({ name: existing.name, version: existing.version });
          return;
        }
      } catch (error) {
        setProblem(error);
        return;
      } finally {
        setBusy(false);
      }
    }
    await write(target);
  }

  async function write(target: string) {
    setReplacing(null);
    const read = readValue();
    if (read === undefined) return;
    setBusy(true);
    setProblem(null);
    try {
      const { setSecret } = await session.call(SetSecretDocument, {
        name: target,
        value: read.value,
        environment: session.environment,
      });
      valueField.current!.value = "";
      onSaved(target, setSecret.version);
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  }

  const title =
    fixedName === undefined
      ? `New secret in ${session.environment}`
      : `New value for ${fixedName} in ${session.environment}`;
  return (
    <form class="panel" onSubmit={submit} autoComplete="off" aria-labelledby="secret-form-title">
      <h2 id="secret-form-title">{title}</h2>
      {fixedName === undefined && (
        <>
          <label for="secret-name">Name</label>
          <input
            id="secret-name"
            value={name}
            onInput={(event) => {
              const field = event.currentTarget;
              setName(field.value);
              // The server's rule and words, checked before sending; an empty field is left to
              // `required`. The name is sent trimmed, so it is checked trimmed.
              field.setCustomValidity(
                field.value === "" ? "" : (secretNameError(field.value.trim()) ?? ""),
              );
            }}
            required
            maxLength={SECRET_NAME_RULE.maxLength}
            spellcheck={false}
            autoComplete="off"
            aria-describedby="secret-name-hint"
          />
          <p id="secret-name-hint" class="hint">
            {NAME_HINT}
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
      <div class="value-head">
        <label for="secret-value">Value</label>
        <button
          type="button"
          class="link"
          aria-pressed={shown}
          aria-controls="secret-value"
          onClick={() => setShown(!shown)}
        >
          Show value
        </button>
      </div>
      <textarea
        id="secret-value"
        ref={valueField}
        class={shown ? "secret-value" : "secret-value masked"}
        rows={mode === "json" ? 6 : 3}
        spellcheck={false}
        autoComplete="off"
        autoCapitalize="off"
        autoCorrect="off"
        placeholder={mode === "json" ? '{"user": "app", "password": "…"}' : undefined}
        aria-describedby="secret-value-hint"
      />
      <p id="secret-value-hint" class="hint">
        Write-only: the current value is never shown, and this field is emptied once saved. Several
        lines (a PEM key) are kept as typed.
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
      {replacing !== null && (
        <ConfirmDialog
          title={`Replace ${replacing.name}?`}
          confirmLabel={`Replace ${replacing.name}`}
          onCancel={() => setReplacing(null)}
          onConfirm={() => write(replacing.name)}
        >
          <p>
            {replacing.name} already exists (version {replacing.version}). Replace its value? The
            new value becomes version {replacing.version + 1}.
          </p>
        </ConfirmDialog>
      )}
    </form>
  );
}
