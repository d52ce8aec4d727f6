import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HostResolver, isPublicAddress, toolsetOf, webFetchTool } from "../src/index.js";

/**
 * The web fetch's address guard: private, loopback and link-local addresses
 * are refused after DNS resolution too, and the socket connects to the very
 * address that was checked. Names are resolved by a resolver the test owns
 * (no real DNS), and the "public-looking" names point at a loopback server.
 */

let server: Server;
let port: number;
const hits: string[] = [];
beforeAll(async () => {
  server = createServer((request, response) => {
    hits.push(`${request.headers.host}${request.url}`);
    if (request.url === "/rebind") {
      response.writeHead(302, { location: `http://sneaky.test:${port}/page` }).end();
      return;
    }
    response.writeHead(200, { "content-type": "text/plain" }).end("inside");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** Resolves every name to the given addresses and counts the calls. */
function resolverTo(...addresses: string[]): HostResolver & { calls: string[] } {
  const calls: string[] = [];
  const resolve = async (hostname: string) => {
    calls.push(hostname);
    return addresses.map((address) => ({
      address,
      family: address.includes(":") ? (6 as const) : (4 as const),
    }));
  };
  return Object.assign(resolve, { calls });
}

async function fetchUrl(url: string, options: Parameters<typeof webFetchTool>[0]) {
  const prepared = toolsetOf([webFetchTool(options)]).prepare(
    { callId: "c1", name: "web_fetch", argumentsJson: JSON.stringify({ url }) },
    new AbortController().signal,
  );
  return prepared.ok ? prepared.call.execute() : prepared.outcome;
}

describe("web_fetch address guard", () => {
  it("classifies addresses: loopback, private, link-local, CGNAT and mapped forms are not public", () => {
    for (const address of [
      "127.0.0.1",
      "10.1.2.3",
      "172.20.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "::1",
      "::",
      "fd00::1",
      "fe80::1",
      "::ffff:10.0.0.1",
      "::ffff:7f00:1",
      "not an address",
    ]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
    for (const address of ["8.8.8.8", "93.184.216.34", "2606:4700:4700::1111"]) {
      expect(isPublicAddress(address), address).toBe(true);
    }
  });

  it("refuses a public-looking name that resolves to loopback or a private network", async () => {
    const loopback = resolverTo("127.0.0.1");
    hits.length = 0;
    expect(await fetchUrl(`http://docs.example:${port}/page`, { resolve: loopback })).toEqual({
      ok: false,
      errorKind: "denied",
      message:
        `docs.example resolves to 127.0.0.1, a local or private address; list docs.example itself in ` +
        `allowedDomains to fetch it (http://docs.example:${port}/page was not fetched)`,
    });
    // One answer with a private address among public ones is refused as well.
    expect(
      await fetchUrl(`http://docs.example:${port}/`, { resolve: resolverTo("93.184.216.34", "10.0.0.7") }),
    ).toMatchObject({
      ok: false,
      errorKind: "denied",
      message: expect.stringContaining("resolves to 10.0.0.7"),
    });
    expect(hits).toEqual([]);
  });

  it("refuses localhost by name unless it is listed by itself", async () => {
    expect(await fetchUrl(`http://localhost:${port}/`, { allowedDomains: ["127.0.0.1"] })).toMatchObject({
      ok: false,
      message: expect.stringContaining("localhost is not an allowed domain"),
    });
    expect(await fetchUrl(`http://localhost:${port}/`, {})).toMatchObject({
      ok: false,
      message: expect.stringContaining("localhost is a local or private address"),
    });
    const listed = await fetchUrl(`http://localhost:${port}/`, {
      allowedDomains: ["localhost"],
      resolve: resolverTo("127.0.0.1"),
    });
    expect(listed).toEqual({ ok: true, output: `URL: http://localhost:${port}/\n\ninside` });
  });

  it("connects to the address it checked, resolving once per connection", async () => {
    // internal.test does not exist in any DNS: the only way to reach the server is the checked answer.
    const resolve = resolverTo("127.0.0.1");
    hits.length = 0;
    const outcome = await fetchUrl(`http://internal.test:${port}/page`, {
      allowedDomains: ["internal.test"],
      resolve,
    });
    expect(outcome).toEqual({ ok: true, output: `URL: http://internal.test:${port}/page\n\ninside` });
    expect(resolve.calls).toEqual(["internal.test"]);
    expect(hits).toEqual([`internal.test:${port}/page`]);
  });

  it("a listed parent domain reaches public addresses only; a redirect is checked after resolution too", async () => {
    hits.length = 0;
    const outcome = await fetchUrl(`http://127.0.0.1:${port}/rebind`, {
      allowedDomains: ["127.0.0.1", "test"],
      resolve: resolverTo("127.0.0.1"),
    });
    expect(outcome).toMatchObject({
      ok: false,
      errorKind: "denied",
      message: expect.stringContaining("sneaky.test resolves to 127.0.0.1"),
    });
    expect(hits).toEqual([`127.0.0.1:${port}/rebind`]);
  });
});
