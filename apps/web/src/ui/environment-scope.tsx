import { useSignedIn } from "../api/signed-in.js";

/**
 * The environments a token may use, as checkboxes: none ticked means every environment, those
 * created later too (the API's null). `who` starts the hint's sentence, e.g. "The token".
 */
export function EnvironmentScope(props: {
  id: string;
  who: string;
  scope: readonly string[];
  onChange(scope: string[]): void;
}) {
  const session = useSignedIn();
  const { scope, who } = props;
  return (
    <fieldset aria-describedby={`${props.id}-hint`}>
      <legend>Environments</legend>
      {(session.environments ?? []).map((env) => (
        <label class="inline" key={env.name}>
          <input
            type="checkbox"
            checked={scope.includes(env.name)}
            onChange={(event) =>
              props.onChange(
                event.currentTarget.checked
                  ? [...scope, env.name]
                  : scope.filter((name) => name !== env.name),
              )
            }
          />
          {env.name}
        </label>
      ))}
      <p id={`${props.id}-hint`} class="hint">
        {scope.length === 0
          ? `None ticked: ${who.toLowerCase()} may use every environment, those created later too.`
          : `${who} may use ${scope.join(", ")} only.`}
      </p>
    </fieldset>
  );
}
