import { MeDocument, type MeQuery } from "@hush/graphql/documents";
import { useState } from "preact/hooks";
import { request } from "../api/request.js";
import { ProblemBanner } from "../ui/problem-banner.js";

interface SignInProps {
  /** Why the user is here again, e.g. an expired token. */
  notice: string | null;
  onSignedIn(token: string, me: MeQuery["me"]): void;
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
      setProblem(new Error("Enter an API token: it starts with hush_."));
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const { me } = await request(candidate, MeDocument, {});
      setToken("");
      onSignedIn(candidate, me);
    } catch (error) {
      setProblem(error);
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
          placeholder="hush_…"
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
