import { useEffect, useState } from "preact/hooks";

/** The console's pages. */
export type Page =
  | { page: "secrets" }
  | { page: "versions"; name: string }
  | { page: "audit" }
  | { page: "tokens" }
  | { page: "trusts" }
  | { page: "webhooks" }
  /** One webhook's deliveries. */
  | { page: "deliveries"; webhook: string }
  /** Compares `from` with `to` (either may be unchosen) and manages the tenant's environments. */
  | { page: "environments"; from: string | null; to: string | null };

/**
 * A page in an environment: the location hash names both (`#/secrets?env=staging`), so a link
 * says which environment it shows and no route needs the server. `env` is null when the hash
 * names none: the token's own environment (`Me.environment`) is meant.
 */
export type Route = Page & { env: string | null };

export function parseRoute(hash: string): Route {
  const [path = "", search = ""] = hash.replace(/^#\/?/, "").split("?", 2);
  const query = new URLSearchParams(search);
  const env = nonEmpty(query.get("env"));
  if (path.startsWith("secrets/") && path.length > "secrets/".length) {
    return { page: "versions", name: decodeURIComponent(path.slice("secrets/".length)), env };
  }
  if (path.startsWith("webhooks/") && path.length > "webhooks/".length) {
    return { page: "deliveries", webhook: decodeURIComponent(path.slice("webhooks/".length)), env };
  }
  if (path === "audit" || path === "tokens" || path === "trusts" || path === "webhooks") {
    return { page: path, env };
  }
  if (path === "environments") {
    return {
      page: "environments",
      from: nonEmpty(query.get("from")),
      to: nonEmpty(query.get("to")),
      env,
    };
  }
  return { page: "secrets", env };
}

export function hrefOf(route: Route): string {
  const path =
    route.page === "versions"
      ? `secrets/${encodeURIComponent(route.name)}`
      : route.page === "deliveries"
        ? `webhooks/${encodeURIComponent(route.webhook)}`
        : route.page;
  const query = new URLSearchParams();
  if (route.env !== null) query.set("env", route.env);
  if (route.page === "environments") {
    if (route.from !== null) query.set("from", route.from);
    if (route.to !== null) query.set("to", route.to);
  }
  const search = query.toString();
  return search === "" ? `#/${path}` : `#/${path}?${search}`;
}

/** Goes to `route`, as a link to it would. */
export function navigate(route: Route): void {
  location.hash = hrefOf(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    addEventListener("hashchange", onChange);
    return () => removeEventListener("hashchange", onChange);
  }, []);
  return route;
}

function nonEmpty(text: string | null): string | null {
  return text === null || text === "" ? null : text;
}
