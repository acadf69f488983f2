import { useSignedIn } from "../api/signed-in.js";
import { navigate, type Route } from "./route.js";

/**
 * The environment the console shows, on every page: choosing one goes to the same page in it
 * (the route names it). The default environment is marked; one the list does not hold (a link to
 * an environment since deleted, or the list not read yet) is still offered, as the one in use.
 */
export function EnvironmentSwitcher({ route }: { route: Route }) {
  const session = useSignedIn();
  const listed = session.environments ?? [];
  const options = listed.some((env) => env.name === session.environment)
    ? listed
    : [{ name: session.environment, isDefault: false }, ...listed];
  return (
    <div class="env-switch">
      <label for="environment">Environment</label>
      <select
        id="environment"
        value={session.environment}
        onChange={(event) => navigate({ ...route, env: event.currentTarget.value })}
      >
        {options.map((env) => (
          <option key={env.name} value={env.name}>
            {env.isDefault ? `${env.name} (default)` : env.name}
          </option>
        ))}
      </select>
    </div>
  );
}
