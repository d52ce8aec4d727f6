import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fetchSend } from "../src/http/fetch-send.js";
import { nodeSend } from "../src/http/node-send.js";
import type { HttpSend } from "../src/http/types.js";
import { type AttemptResult, streamAttempt } from "../src/transport.js";
import { decodeSseText } from "../src/wire/decode.js";
import type { ContentEvent } from "../src/wire/types.js";
import { FIXTURES_DIR } from "./helpers/paths.js";

// Both transports (node:http, the default; an injected fetch) against a real
// loopback server: the attempt must behave the same on either.

const BODY = readFileSync(join(FIXTURES_DIR, "anthropic/vercel_anthropic-text.sse"), "utf8");
const EXPECTED_TEXT = decodeSseText("anthropic", BODY)
  .events.map((e) => (e.type === "text_delta" ? e.text : ""))
  .join("");
/** Up to the first text delta, so a stream stalled or cut here has begun its output. */
const FIRST_PART = BODY.slice(0, BODY.indexOf("\n\n", BODY.indexOf("text_delta")) + 2);

let server: Server | undefined;
afterEach(async () => {
  const s = server;
  server = undefined;
  if (s === undefined) return;
  s.closeAllConnections();
  await new Promise((resolve) => s.close(resolve));
});

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function serve(handler: Handler): Promise<{ url: string; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  server = createServer((req, res) => {
    sockets.push(req.socket);
    req.resume();
    req.on("end", () => handler(req, res));
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1/messages`, sockets };
}

function open(
  send: HttpSend,
  url: string,
  options: { idleTimeoutMs?: number; signal?: AbortSignal } = {},
): AsyncGenerator<ContentEvent, AttemptResult> {
  return streamAttempt(
    {
      api: "anthropic",
      url,
      headers: { "content-type": "application/json" },
      body: "{}",
      hint: { provider: "anthropic", apiKeyEnv: undefined },
    },
    { send, signal: options.signal, idleTimeoutMs: options.idleTimeoutMs ?? 5000, now: Date.now },
  );
}

async function attempt(
  send: HttpSend,
  url: string,
  options: { idleTimeoutMs?: number; signal?: AbortSignal; onEvent?: (e: ContentEvent) => void } = {},
): Promise<{ events: ContentEvent[]; result: AttemptResult }> {
  const stream = open(send, url, options);
  const events: ContentEvent[] = [];
  for (;;) {
    const step = await stream.next();
    if (step.done) return { events, result: step.value };
    events.push(step.value);
    options.onEvent?.(step.value);
  }
}

function textOf(events: ContentEvent[]): string {
  return events.map((e) => (e.type === "text_delta" ? e.text : "")).join("");
}

const sse = (res: ServerResponse): void => {
  res.writeHead(200, { "content-type": "text/event-stream" });
};

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe.each([
  ["node:http", nodeSend],
  ["fetch", fetchSend((url, init) => fetch(url, init))],
])("%s transport", (_name, send) => {
  it("streams a body written in small pieces, split anywhere", async () => {
    const { url } = await serve((_req, res) => {
      sse(res);
      let at = 0;
      const next = (): void => {
        if (at >= BODY.length) {
          res.end();
          return;
        }
        res.write(BODY.slice(at, at + 37));
        at += 37;
        setImmediate(next);
      };
      next();
    });
    const { events, result } = await attempt(send, url);
    expect(textOf(events)).toBe(EXPECTED_TEXT);
    expect(result).toMatchObject({ kind: "ok", stopReason: "end_turn" });
  });

  it("reuses one keep-alive socket for sequential requests", async () => {
    const { url, sockets } = await serve((_req, res) => {
      sse(res);
      res.end(BODY);
    });
    for (let i = 0; i < 3; i++) {
      expect((await attempt(send, url)).result.kind).toBe("ok");
      await tick(); // the socket goes back to the pool once the body's end is read
    }
    expect(sockets).toHaveLength(3);
    expect(new Set(sockets).size).toBe(1);
  });

  it("times out a stream that stalls, and drops its socket", async () => {
    const { url, sockets } = await serve((_req, res) => {
      sse(res);
      res.write(FIRST_PART);
    });
    const started = Date.now();
    const { events, result } = await attempt(send, url, { idleTimeoutMs: 150 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(textOf(events).length).toBeGreaterThan(0);
    expect(result).toMatchObject({ kind: "error", outputBegan: true, error: { code: "timeout" } });
    if (result.kind === "error") expect(result.error.message).toMatch(/no data for 150 ms/);
    await expect.poll(() => sockets[0]?.destroyed).toBe(true);
  });

  it("times out a server that never answers", async () => {
    const { url } = await serve(() => {});
    const { result } = await attempt(send, url, { idleTimeoutMs: 100 });
    expect(result).toMatchObject({ kind: "error", outputBegan: false, error: { code: "timeout" } });
  });

  it("a caller abort mid-stream cancels the attempt and closes the connection", async () => {
    const { url, sockets } = await serve((_req, res) => {
      sse(res);
      res.write(FIRST_PART);
    });
    const controller = new AbortController();
    const { events, result } = await attempt(send, url, {
      signal: controller.signal,
      onEvent: () => controller.abort(),
    });
    expect(events.length).toBeGreaterThan(0);
    expect(result).toEqual({ kind: "cancelled" });
    await expect.poll(() => sockets[0]?.destroyed).toBe(true);
  });

  it("a consumer that stops reading early drops the socket", async () => {
    const { url, sockets } = await serve((_req, res) => {
      sse(res);
      res.write(FIRST_PART);
    });
    const stream = open(send, url);
    expect((await stream.next()).done).toBe(false);
    await stream.return({ kind: "cancelled" });
    await expect.poll(() => sockets[0]?.destroyed).toBe(true);
  });

  it("names the cause when nothing listens", async () => {
    const { url } = await serve(() => {});
    server?.close();
    await new Promise((resolve) => server?.once("close", resolve));
    server = undefined;
    const { result } = await attempt(send, url);
    expect(result).toMatchObject({ kind: "error", error: { code: "network", retryable: true } });
    if (result.kind === "error") {
      expect(result.error.message).toMatch(
        /^anthropic: could not reach http:\/\/127\.0\.0\.1:\d+.*ECONNREFUSED/,
      );
    }
  });

  it("classifies a 429 with its retry-after and x-should-retry headers", async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(429, {
        "content-type": "application/json",
        "retry-after": "3",
        "x-should-retry": "false",
      });
      res.end(JSON.stringify({ type: "error", error: { type: "rate_limit_error", message: "slow down" } }));
    });
    const { result } = await attempt(send, url);
    expect(result).toMatchObject({
      kind: "error",
      outputBegan: false,
      error: { code: "rate_limited", status: 429, retryAfterMs: 3000, retryable: false },
    });
  });

  it("takes retry-after-ms over retry-after on a 529", async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(529, { "retry-after-ms": "250", "retry-after": "9" });
      res.end(JSON.stringify({ type: "error", error: { type: "overloaded_error", message: "busy" } }));
    });
    const { result } = await attempt(send, url);
    expect(result).toMatchObject({ kind: "error", error: { code: "overloaded", retryAfterMs: 250 } });
  });

  it("reports a stream cut mid-answer", async () => {
    const { url } = await serve((_req, res) => {
      sse(res);
      res.write(FIRST_PART, () => setTimeout(() => res.socket?.destroy(), 20));
    });
    const { events, result } = await attempt(send, url);
    expect(textOf(events).length).toBeGreaterThan(0);
    expect(result).toMatchObject({ kind: "error", outputBegan: true, error: { code: "stream_cut" } });
  });

  it("reports a stream cut before its first event as a network failure", async () => {
    const { url } = await serve((_req, res) => {
      sse(res);
      res.flushHeaders();
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const { result } = await attempt(send, url);
    expect(result).toMatchObject({ kind: "error", outputBegan: false, error: { code: "network" } });
    if (result.kind === "error") expect(result.error.message).toMatch(/cut before its first event/);
  });

  it("ends a finished stream whose body never closes after the drain deadline", async () => {
    const { url } = await serve((_req, res) => {
      sse(res);
      res.write(BODY);
    });
    const started = Date.now();
    const { result } = await attempt(send, url);
    expect(result).toMatchObject({ kind: "ok", stopReason: "end_turn" });
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe("node:http transport", () => {
  it("follows a 307 with the same method and body, as fetch does", async () => {
    const bodies: string[] = [];
    const { url, sockets } = await serve((req, res) => {
      if (req.url === "/v1/messages") {
        res.writeHead(307, { location: "/v2/messages" });
        res.end("moved");
        return;
      }
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end(BODY);
    });
    server?.prependListener("request", (req: IncomingMessage) => {
      let body = "";
      req.on("data", (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on("end", () => bodies.push(`${req.method} ${req.url} ${body}`));
    });
    const { events, result } = await attempt(nodeSend, url);
    expect(textOf(events)).toBe(EXPECTED_TEXT);
    expect(result).toMatchObject({ kind: "ok" });
    expect(bodies).toEqual(["POST /v1/messages {}", "POST /v2/messages {}"]);
    expect(new Set(sockets).size).toBe(1);
  });
});
