import { HushError } from "@hush/errors";

/**
 * The URL GraphQL is served at for a hush server's `endpoint`: `<endpoint>/graphql`, or the
 * endpoint as it is when it already ends in `/graphql`. Trailing slashes are ignored.
 * Throws a `HushError` with code `INVALID_ENDPOINT` for anything that is not an http(s) URL.
 *
 * @example
 * graphqlUrl("http://127.0.0.1:4200");          // "http://127.0.0.1:4200/graphql"
 * graphqlUrl("https://hush.example.com/graphql/"); // "https://hush.example.com/graphql"
 */
export function graphqlUrl(endpoint: string): string {
  const url = parseEndpoint(endpoint);
  const path = url.pathname.replace(/\/+$/, "");
  url.pathname = path.endsWith("/graphql") ? path : `${path}/graphql`;
  url.hash = "";
  return url.toString();
}

// Everything up to the last "@", after the scheme if there is one: the user part of a URL, even
// a mistyped one ("http//me:pass@host") or one whose password holds "/" or "@".
const USERINFO = /^([a-z][a-z\d+.-]*:\/\/)?[\s\S]*@/i;

function parseEndpoint(endpoint: string): URL {
  const hint = "Set the endpoint to the hush server's base URL, e.g. http://127.0.0.1:4200.";
  let url: URL;
  try {
    url = new URL(endpoint.trim());
  } catch {
    throw new HushError(
      "INVALID_ENDPOINT",
      `The hush endpoint ${JSON.stringify(endpoint.replace(USERINFO, "$1…@"))} is not a valid URL. ${hint}`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new HushError(
      "INVALID_ENDPOINT",
      `The hush endpoint must be an http:// or https:// URL; got one starting with ${url.protocol}. ${hint}`,
    );
  }
  if (url.username !== "" || url.password !== "") {
    // Never echo the URL here: its user part may hold a credential.
    throw new HushError(
      "INVALID_ENDPOINT",
      "The hush endpoint must not contain a user name or password. Give the API token as the " +
        "API key instead, and the endpoint as the server's base URL, e.g. http://127.0.0.1:4200.",
    );
  }
  return url;
}
