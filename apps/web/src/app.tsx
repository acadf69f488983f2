import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { EnvironmentsDocument, MeDocument, type MeQuery } from "@hush/graphql/documents";
import { roleMay } from "@hush/schema/permissions";
import { useCallback, useEffect, useMemo, useState } from "preact/hooks";
import { ApiProblem } from "./api/api-problem.js";
import { request } from "./api/request.js";
import { type Environment, type SignedIn, SignedInContext } from "./api/signed-in.js";
import { forgetToken, storedToken, storeToken } from "./api/token-store.js";
import { AuditPage } from "./pages/audit-page.js";
import { DeliveriesPage } from "./pages/deliveries-page.js";
import { EnvironmentsPage } from "./pages/environments-page.js";
import { SecretsPage } from "./pages/secrets-page.js";
import { SignIn } from "./pages/sign-in.js";
import { TokensPage } from "./pages/tokens-page.js";
import { TrustsPage } from "./pages/trusts-page.js";
import { VersionsPage } from "./pages/versions-page.js";
import { WebhooksPage } from "./pages/webhooks-page.js";
import { EnvironmentSwitcher } from "./ui/environment-switcher.js";
import { hrefOf, type Route, useRoute } from "./ui/route.js";
import { ServerText } from "./ui/server-text.js";
import { useLoad } from "./ui/use-load.js";

const SESSION_ENDED =
  "Your session ended: the token expired, was revoked or is unknown. Sign in with a valid token.";

type State =
  | { kind: "checking" }
  | { kind: "signed-out"; notice: string | null }
  | { kind: "signed-in"; token: string; me: MeQuery["me"] };

export function App() {
  const [state, setState] = useState<State>(() =>
    storedToken() === null ? { kind: "signed-out", notice: null } : { kind: "checking" },
  );

  useEffect(() => {
    const token = storedToken();
    if (token === null) return;
    request(token, MeDocument, {}).then(
      ({ me }) => setState({ kind: "signed-in", token, me }),
      (error: unknown) => {
        const ended = error instanceof ApiProblem && error.signedOut;
        if (ended) forgetToken();
        setState({
          kind: "signed-out",
          notice: ended ? SESSION_ENDED : (error as Error).message,
        });
      },
    );
  }, []);

  if (state.kind === "checking") return <p class="loading">Checking your session…</p>;
  if (state.kind === "signed-out") {
    return (
      <SignIn
        notice={state.notice}
        onSignedIn={(token, me) => {
          storeToken(token);
          setState({ kind: "signed-in", token, me });
        }}
      />
    );
  }
  return (
    <Console
      token={state.token}
      me={state.me}
      onSignOut={(notice) => {
        forgetToken();
        setState({ kind: "signed-out", notice });
      }}
    />
  );
}

interface ConsoleProps {
  token: string;
  me: MeQuery["me"];
  onSignOut(notice: string | null): void;
}

function Console({ token, me, onSignOut }: ConsoleProps) {
  const route = useRoute();
  const call = useCallback(
    async <TResult, TVariables>(
      document: TypedDocumentNode<TResult, TVariables>,
      variables: TVariables,
    ) => {
      try {
        return await request(token, document, variables);
      } catch (error) {
        if (error instanceof ApiProblem && error.signedOut) onSignOut(SESSION_ENDED);
        throw error;
      }
    },
    [token, onSignOut],
  );
  // The tenant's environments, narrowed to those the token may use (null: all of them).
  const loadEnvironments = useCallback(async () => {
    const { environments } = await call(EnvironmentsDocument, {});
    const scope = me.environments;
    return scope == null ? environments : environments.filter((env) => scope.includes(env.name));
  }, [call, me]);
  const { data: environments, reload: reloadEnvironments } =
    useLoad<Environment[]>(loadEnvironments);
  const environment = route.env ?? me.environment;
  const session = useMemo<SignedIn>(
    () => ({
      me,
      environment,
      environments,
      reloadEnvironments,
      may: (permission) => roleMay(me.role, permission),
      signOut: () => onSignOut(null),
      call,
    }),
    [me, environment, environments, reloadEnvironments, call, onSignOut],
  );
  // Every link names the environment in use, so that a copied link shows the same one.
  const env = environment;
  const tabs: Array<{ route: Route; label: string; shown: boolean }> = [
    { route: { page: "secrets", env }, label: "Secrets", shown: true },
    {
      route: { page: "environments", from: null, to: null, env },
      label: "Environments",
      shown: true,
    },
    { route: { page: "audit", env }, label: "Audit", shown: session.may("readAudit") },
    { route: { page: "tokens", env }, label: "Tokens", shown: session.may("manageTokens") },
    { route: { page: "trusts", env }, label: "Trusts", shown: session.may("manageTrusts") },
    {
      route: { page: "webhooks", env },
      label: "Webhooks",
      shown: session.may("manageWebhooks"),
    },
  ];
  // A page under another is shown under its tab.
  const current =
    route.page === "versions" ? "secrets" : route.page === "deliveries" ? "webhooks" : route.page;

  return (
    <SignedInContext.Provider value={session}>
      <header class="top">
        <a class="brand" href={hrefOf({ page: "secrets", env })}>
          hush
        </a>
        <nav aria-label="Pages">
          <ul>
            {tabs
              .filter((tab) => tab.shown)
              .map((tab) => (
                <li key={tab.label}>
                  <a
                    href={hrefOf(tab.route)}
                    aria-current={tab.route.page === current ? "page" : undefined}
                  >
                    {tab.label}
                  </a>
                </li>
              ))}
          </ul>
        </nav>
        <EnvironmentSwitcher route={route} />
        <dl class="who" aria-label="Signed in as">
          <div>
            <dt>Tenant</dt>
            <dd>{me.tenant.name}</dd>
          </div>
          <div>
            <dt>Role</dt>
            <dd>{me.role}</dd>
          </div>
          <div>
            <dt>Token</dt>
            <dd>
              <ServerText text={me.tokenName} />
            </dd>
          </div>
        </dl>
        <button type="button" onClick={() => onSignOut(null)}>
          Sign out
        </button>
      </header>
      <main>
        {/* A new environment is a new page: its filters, paging and forms start afresh. */}
        <Page key={environment} route={route} />
      </main>
    </SignedInContext.Provider>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case "versions":
      return <VersionsPage key={route.name} name={route.name} />;
    case "audit":
      return <AuditPage />;
    case "tokens":
      return <TokensPage />;
    case "trusts":
      return <TrustsPage />;
    case "webhooks":
      return <WebhooksPage />;
    case "deliveries":
      return <DeliveriesPage key={route.webhook} webhook={route.webhook} />;
    case "environments":
      return <EnvironmentsPage from={route.from} to={route.to} />;
    default:
      return <SecretsPage />;
  }
}
