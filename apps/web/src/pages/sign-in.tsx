import { MeDocument, type MeQuery } from "@hush/graphql/documents";
import { API_TOKEN_PREFIX, TOKEN_PLACEHOLDER } from "@hush/schema/token-shape";
import { useState } from "preact/hooks";
import { ApiProblem } from "../api/api-problem.js";
import { request } from "../api/request.js";
import { ProblemBanner } from "../ui/problem-banner.js";

interface SignInProps {
  /** Why the user is here again, e.g. an expired token. */
  notice: string | null;
  onSignedIn(token: string, me: MeQuery["me"]): void;
}

/**
 * Why a token was refused, in a browser user's words: the server's own message speaks of the
 * Authorization header, which the user never wrote. The code and request id are kept.
 */
const REFUSED =
  "This token is not valid (or was revoked); ask an admin for a TENANT_ADMIN or USER token.";

function signInProblem(error: unknown): unknown {
  if (error instanceof ApiProblem && error.signedOut) {
    return new ApiProblem(REFUSED, error.code, error.requestId);
  }
  return error;
}

/** Sign-in with an API token; the token is checked with the `Me` query before it is kept. */
export function SignIn({ notice, onSignedIn }: SignInProps) {
  const [token, setToken] = useState("");
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    const candidate = token.trim();
    if (candidate === "") {
      setProblem(new Error(`Enter an API token: it starts with ${API_TOKEN_PREFIX}.`));
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const { me } = await request(candidate, MeDocument, {});
      setToken("");
      onSignedIn(candidate, me);
    } catch (error) {
      setProblem(signInProblem(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="sign-in">
      <h1>hush console</h1>
      <form onSubmit={submit} autoComplete="off">
        <p>
          Sign in with an API token of your tenant. It is kept in this tab only and forgotten when
          you sign out or close the tab.
        </p>
        <p class="hint">
          A TENANT_ADMIN or USER token manages secrets (TENANT_ADMIN also tokens and the audit log).
          A RUNNER token is for programs that read values; here it only lists secret names and
          versions, as a READ_ONLY_USER token does.
        </p>
        {notice !== null && (
          <p class="notice" role="status">
            {notice}
          </p>
        )}
        <label for="token">API token</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="off"
          spellcheck={false}
          placeholder={TOKEN_PLACEHOLDER}
          value={token}
          onInput={(event) => setToken(event.currentTarget.value)}
          required
        />
        <ProblemBanner problem={problem} />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
