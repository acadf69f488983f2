import { useEffect, useState } from "preact/hooks";

/** The console's pages; the location hash names one, so no route needs the server. */
export type Route =
  | { page: "secrets" }
  | { page: "versions"; name: string }
  | { page: "audit" }
  | { page: "tokens" };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, "");
  if (path.startsWith("secrets/") && path.length > "secrets/".length) {
    return { page: "versions", name: decodeURIComponent(path.slice("secrets/".length)) };
  }
  if (path === "audit") return { page: "audit" };
  if (path === "tokens") return { page: "tokens" };
  return { page: "secrets" };
}

export function hrefOf(route: Route): string {
  return route.page === "versions"
    ? `#/secrets/${encodeURIComponent(route.name)}`
    : `#/${route.page}`;
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
