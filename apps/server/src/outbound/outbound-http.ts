// The one way the server makes requests of its own (an issuer's keys, webhook deliveries): every
// address it would connect to is checked first, so that a URL a tenant admin registers cannot
// reach the server's own network (SSRF), however its name resolves.
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { request as httpRequest, type IncomingHttpHeaders, type RequestOptions } from "node:http";
import { request as httpsRequest } from "node:https";
import { BlockList, isIP, type LookupFunction } from "node:net";
import { HushError } from "@hush/errors";

/** What the server lets one kind of outbound request reach, from its flags. */
export interface OutboundPolicy {
  /** Whether private network addresses (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7) may be used. */
  readonly allowPrivate: boolean;
  /** The server flag that allows them, named in refusals (`--allow-private-webhooks`). */
  readonly privateFlag?: string;
}

/** A URL the server will not request, with what to do instead. */
export class OutboundUrlError extends HushError {
  override readonly name: string = "OutboundUrlError";
  constructor(message: string) {
    super("OUTBOUND_URL", message);
  }
}

/** Why an outbound request failed. */
export type OutboundFailure = "timeout" | "too-large" | "refused-address" | "network";

/** An outbound request that failed before a whole answer came back. */
export class OutboundError extends HushError {
  override readonly name: string = "OutboundError";
  constructor(
    readonly reason: OutboundFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super("OUTBOUND_REQUEST", message, options);
  }
}

export interface OutboundResponse {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface OutboundInit {
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** For the whole exchange: connecting, sending and reading the answer. */
  timeoutMs: number;
  /** The most of the answer's body read; a longer one fails as `too-large`. */
  maxBytes: number;
  policy: OutboundPolicy;
  signal?: AbortSignal;
}

/** What an address is, for the policy. */
export type AddressKind = "loopback" | "private" | "forbidden" | "public";

const loopback = new BlockList();
loopback.addSubnet("127.0.0.0", 8, "ipv4");
loopback.addAddress("::1", "ipv6");

const privateNetworks = new BlockList();
for (const [net, prefix] of [
  ["10.0.0.0", 8],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
  ["100.64.0.0", 10], // carrier-grade NAT, used inside clouds and clusters
] as const) {
  privateNetworks.addSubnet(net, prefix, "ipv4");
}
privateNetworks.addSubnet("fc00::", 7, "ipv6");

// Never reachable, whatever the flags: link-local holds cloud metadata endpoints
// (169.254.169.254), and the rest are not hosts at all.
const forbidden = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["169.254.0.0", 16],
  ["192.0.0.0", 24],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  forbidden.addSubnet(net, prefix, "ipv4");
}
forbidden.addAddress("::", "ipv6");
forbidden.addSubnet("fe80::", 10, "ipv6");
forbidden.addSubnet("ff00::", 8, "ipv6");

const MAPPED_V4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

/** Classifies an IP address (IPv4-mapped IPv6 addresses as the IPv4 address they carry). */
export function addressKind(address: string): AddressKind {
  const mapped = MAPPED_V4.exec(address)?.[1];
  const ip = mapped ?? address;
  const family = isIP(ip) === 6 ? "ipv6" : "ipv4";
  if (loopback.check(ip, family)) return "loopback";
  if (forbidden.check(ip, family)) return "forbidden";
  if (privateNetworks.check(ip, family)) return "private";
  return "public";
}

/** Whether the URL's host names the machine itself: `localhost`, `*.localhost` or a loopback IP. */
function namesLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  return isIP(host) !== 0 && addressKind(host) === "loopback";
}

function privateRefusal(what: string, policy: OutboundPolicy): string {
  const flag =
    policy.privateFlag === undefined ? "" : ` (start the server with ${policy.privateFlag})`;
  return `${what} is a private network address; private addresses are refused unless the server allows them${flag}.`;
}

/**
 * Whether the server may request `url`: `https://`, or `http://` on the machine itself; never
 * with credentials in it; an IP address only if the policy allows its kind. Names are resolved
 * and checked again when requested (`outboundRequest`). Throws `OutboundUrlError` saying why.
 */
export function checkOutboundUrl(url: string, policy: OutboundPolicy): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new OutboundUrlError(`"${url}" is not a URL: give an absolute https:// URL.`);
  }
  const loopbackHost = namesLoopback(parsed.hostname);
  if (parsed.protocol !== "https:" && !(parsed.protocol === "http:" && loopbackHost)) {
    throw new OutboundUrlError(
      `${parsed.protocol}// URLs are refused: use https:// (http:// only for the server's own machine, 127.0.0.1 or localhost).`,
    );
  }
  if (parsed.username !== "" || parsed.password !== "") {
    throw new OutboundUrlError("URLs with a user name or password are refused: remove them.");
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  const refusal = isIP(host) === 0 ? undefined : addressRefusal(host, host, policy, loopbackHost);
  if (refusal !== undefined) throw new OutboundUrlError(refusal);
  return parsed;
}

/** Why `address` (what `hostname` names or resolved to) may not be used; undefined when it may. */
function addressRefusal(
  address: string,
  hostname: string,
  policy: OutboundPolicy,
  loopbackHost: boolean,
): string | undefined {
  const kind = addressKind(address);
  const what = hostname === address ? address : `${hostname} (${address})`;
  if (kind === "forbidden") {
    return `${what} is a link-local, multicast or reserved address: it is always refused.`;
  }
  if (kind === "loopback" && !loopbackHost) {
    return `${what} resolves to the server's own machine: name it as 127.0.0.1 or localhost.`;
  }
  if (kind !== "loopback" && loopbackHost) {
    return `${what} is named as the server's own machine but resolves elsewhere.`;
  }
  if (kind === "private" && !policy.allowPrivate) return privateRefusal(what, policy);
  return undefined;
}

/**
 * Checks the addresses `hostname` resolved to: one the policy refuses refuses the name (so
 * that which address a connection picks never matters). Throws `OutboundError`
 * (`refused-address`) saying why.
 */
export function checkResolvedAddresses(
  hostname: string,
  addresses: readonly LookupAddress[],
  policy: OutboundPolicy,
): void {
  const loopbackHost = namesLoopback(hostname);
  for (const { address } of addresses) {
    const refusal = addressRefusal(address, hostname, policy, loopbackHost);
    if (refusal !== undefined) throw new OutboundError("refused-address", refusal);
  }
}

function checkingLookup(policy: OutboundPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, "", 0);
      try {
        checkResolvedAddresses(hostname, addresses, policy);
      } catch (refusal) {
        return callback(refusal as OutboundError, "", 0);
      }
      if (options.all) return (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (first === undefined) return callback(new Error(`${hostname} has no address`), "", 0);
      callback(null, first.address, first.family);
    });
  };
}

/**
 * Makes one request the policy allows (see `checkOutboundUrl`): no redirect is followed (a 3xx
 * is returned as it is), every address a name resolves to is checked before connecting (so a
 * name that resolves to a private address later, DNS rebinding, is still refused), the whole
 * exchange must end within `timeoutMs`, and at most `maxBytes` of the answer are read. Throws
 * `OutboundUrlError` for a URL refused outright, `OutboundError` for the rest.
 */
export function outboundRequest(url: string | URL, init: OutboundInit): Promise<OutboundResponse> {
  const target = checkOutboundUrl(String(url), init.policy);
  const send = target.protocol === "https:" ? httpsRequest : httpRequest;
  const options: RequestOptions = {
    method: init.method ?? "GET",
    headers: init.headers,
    lookup: checkingLookup(init.policy),
    // A connection of its own each time: a pooled one could have been opened under another policy.
    agent: false,
  };
  return new Promise<OutboundResponse>((resolve, reject) => {
    const timeoutMs = init.timeoutMs;
    const request = send(target, options, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > init.maxBytes) {
          fail(new OutboundError("too-large", `the answer is larger than ${init.maxBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      response.on("end", () => {
        finish();
        resolve({
          status: response.statusCode ?? 0,
          statusText: response.statusMessage ?? "",
          headers: response.headers,
          body: Buffer.concat(chunks),
        });
      });
      response.on("error", (error) => fail(error));
    });
    const timer = setTimeout(
      () => fail(new OutboundError("timeout", `no complete answer within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    const onAbort = () => fail(new OutboundError("network", "the request was cancelled"));
    init.signal?.addEventListener("abort", onAbort, { once: true });
    const finish = () => {
      clearTimeout(timer);
      init.signal?.removeEventListener("abort", onAbort);
    };
    let failed = false;
    function fail(error: unknown) {
      if (failed) return;
      failed = true;
      finish();
      request.destroy();
      reject(
        error instanceof OutboundError
          ? error
          : new OutboundError("network", (error as Error).message, { cause: error }),
      );
    }
    // A refused address comes back as the lookup's OutboundError, which `fail` keeps as it is.
    request.on("error", fail);
    if (init.signal?.aborted) onAbort();
    request.end(init.body);
  });
}
