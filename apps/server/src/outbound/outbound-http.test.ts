import { createServer } from "node:http";
import { listenForTest } from "@hush/test-support";
import { describe, expect, it } from "vitest";
import {
  addressKind,
  checkOutboundUrl,
  checkResolvedAddresses,
  OutboundError,
  OutboundUrlError,
  outboundRequest,
} from "./outbound-http.js";

const strict = { allowPrivate: false, privateFlag: "--allow-private-webhooks" };
const lenient = { allowPrivate: true };

describe("checkOutboundUrl", () => {
  it("takes https anywhere public and http only on the server's own machine", () => {
    expect(checkOutboundUrl("https://hooks.example.com/x", strict).hostname).toBe(
      "hooks.example.com",
    );
    expect(checkOutboundUrl("http://127.0.0.1:8080/x", strict).port).toBe("8080");
    expect(checkOutboundUrl("http://localhost:8080/x", strict).port).toBe("8080");
    expect(checkOutboundUrl("http://[::1]:8080/x", strict).port).toBe("8080");
    expect(() => checkOutboundUrl("http://hooks.example.com/x", strict)).toThrow(/use https:\/\//);
    expect(() => checkOutboundUrl("ftp://127.0.0.1/x", strict)).toThrow(OutboundUrlError);
    expect(() => checkOutboundUrl("not a url", strict)).toThrow(/absolute https/);
  });

  it("refuses credentials in the URL", () => {
    expect(() => checkOutboundUrl("https://user:pw@example.com/", strict)).toThrow(
      /user name or password/,
    );
  });

  it("refuses private addresses unless the server's flag allows them, naming the flag", () => {
    expect(() => checkOutboundUrl("https://10.1.2.3/x", strict)).toThrow(
      /--allow-private-webhooks/,
    );
    expect(() => checkOutboundUrl("https://[fd00::1]/x", strict)).toThrow(/private network/);
    expect(checkOutboundUrl("https://192.168.1.5/x", lenient).hostname).toBe("192.168.1.5");
  });

  it("always refuses link-local (cloud metadata), reserved and multicast addresses", () => {
    for (const url of [
      "https://169.254.169.254/latest/meta-data",
      "https://0.0.0.0/",
      "https://224.0.0.1/",
      "https://[fe80::1]/",
      "https://[::ffff:169.254.169.254]/",
    ]) {
      expect(() => checkOutboundUrl(url, lenient), url).toThrow(/always refused/);
    }
  });
});

describe("addresses a name resolves to", () => {
  it("classifies IPv4, IPv6 and IPv4-mapped IPv6 addresses", () => {
    expect(addressKind("127.0.0.2")).toBe("loopback");
    expect(addressKind("::ffff:127.0.0.1")).toBe("loopback");
    expect(addressKind("::ffff:10.0.0.1")).toBe("private");
    expect(addressKind("100.64.0.1")).toBe("private");
    expect(addressKind("8.8.8.8")).toBe("public");
    expect(addressKind("2606:4700::1111")).toBe("public");
  });

  it("refuses a public name that resolves to the machine itself or a private network (DNS rebinding)", () => {
    const at = (address: string) => [{ address, family: address.includes(":") ? 6 : 4 }];
    expect(() => checkResolvedAddresses("hooks.example.com", at("127.0.0.1"), lenient)).toThrow(
      /server's own machine/,
    );
    expect(() => checkResolvedAddresses("hooks.example.com", at("10.0.0.7"), strict)).toThrow(
      OutboundError,
    );
    expect(() =>
      checkResolvedAddresses(
        "hooks.example.com",
        [...at("8.8.8.8"), ...at("169.254.169.254")],
        lenient,
      ),
    ).toThrow(/always refused/);
    expect(() => checkResolvedAddresses("localhost", at("8.8.8.8"), strict)).toThrow(
      /resolves elsewhere/,
    );
    checkResolvedAddresses("hooks.example.com", at("10.0.0.7"), lenient);
    checkResolvedAddresses("localhost", at("::1"), strict);
  });
});

describe("outboundRequest", () => {
  const init = { timeoutMs: 2000, maxBytes: 1024, policy: strict };

  it("sends the body and headers and returns the answer", async () => {
    const port = await listenForTest(
      createServer((request, response) => {
        let body = "";
        request.on("data", (chunk) => (body += chunk));
        request.on("end", () => {
          response.writeHead(201, { "x-seen": String(request.headers["x-hush-event"]) });
          response.end(`got ${request.method} ${body}`);
        });
      }),
    );
    const answer = await outboundRequest(`http://localhost:${port}/hook`, {
      ...init,
      method: "POST",
      headers: { "x-hush-event": "SET" },
      body: "{}",
    });
    expect(answer.status).toBe(201);
    expect(answer.headers["x-seen"]).toBe("SET");
    expect(answer.body.toString()).toBe("got POST {}");
  });

  it("does not follow redirects", async () => {
    const port = await listenForTest(
      createServer((_request, response) => {
        response.writeHead(302, { location: "http://169.254.169.254/" });
        response.end();
      }),
    );
    const answer = await outboundRequest(`http://127.0.0.1:${port}/`, init);
    expect(answer.status).toBe(302);
  });

  it("stops reading an answer past maxBytes, and one that takes too long", async () => {
    const port = await listenForTest(
      createServer((request, response) => {
        if (request.url === "/big") return response.end("x".repeat(5000));
        response.write("partial"); // and never end
      }),
    );
    await expect(outboundRequest(`http://127.0.0.1:${port}/big`, init)).rejects.toMatchObject({
      reason: "too-large",
    });
    const started = Date.now();
    await expect(
      outboundRequest(`http://127.0.0.1:${port}/slow`, { ...init, timeoutMs: 300 }),
    ).rejects.toMatchObject({ reason: "timeout" });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("fails as a network error when nothing listens", async () => {
    const server = createServer();
    const port = await listenForTest(server);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await expect(outboundRequest(`http://127.0.0.1:${port}/`, init)).rejects.toMatchObject({
      reason: "network",
    });
  });
});
