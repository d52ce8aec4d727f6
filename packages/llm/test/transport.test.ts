import { readFileSync } from "node:fs";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createModelClient } from "../src/client.js";
import { defaultLlmConfig } from "../src/config/load.js";
import { collect, request, textOf } from "./helpers/mock.js";
import { FIXTURES_DIR } from "./helpers/paths.js";

// Connection handling against a bare HTTP server on loopback, where the test
// sees every socket.

const BODY = readFileSync(join(FIXTURES_DIR, "anthropic/vercel_anthropic-text.sse"), "utf8");

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

async function serve(
  handler: (res: ServerResponse) => void,
): Promise<{ url: string; connections: () => number }> {
  let connections = 0;
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => handler(res));
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, connections: () => connections };
}

function client(url: string, mergeTextDeltas = false) {
  const env = { ANTHROPIC_API_KEY: "k", ANTHROPIC_BASE_URL: url };
  return createModelClient({ config: defaultLlmConfig(env), env, mergeTextDeltas });
}

describe("transport", () => {
  it("reuses one keep-alive connection turn after turn", async () => {
    const { url, connections } = await serve((res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end(BODY);
    });
    const c = client(url);
    for (let turn = 1; turn <= 4; turn++) {
      const events = await collect(c.stream(request({ turn, model: "claude-sonnet-4-5" })));
      expect(events.at(-1)).toMatchObject({ stopReason: "end_turn" });
      // undici puts the socket back in its pool a tick after the body ends (tools run here).
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(connections()).toBe(1);
  });

  it("does not hang on a server that never closes a finished stream", async () => {
    const { url } = await serve((res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(BODY); // message_stop included, but the body is never ended
    });
    const started = Date.now();
    const events = await collect(client(url).stream(request({ model: "claude-sonnet-4-5" })));
    expect(textOf(events).length).toBeGreaterThan(0);
    expect(events.at(-1)).toMatchObject({ stopReason: "end_turn" });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("with mergeTextDeltas, text deltas read together come as one, the same text; apart, one by one", async () => {
    const whole = await serve((res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end(BODY);
    });
    const plain = await collect(client(whole.url).stream(request({ model: "claude-sonnet-4-5" })));
    const merged = await collect(client(whole.url, true).stream(request({ model: "claude-sonnet-4-5" })));
    const deltas = (events: typeof plain) => events.filter((event) => event.type === "text_delta").length;
    expect(deltas(plain)).toBeGreaterThan(1);
    expect(deltas(merged)).toBe(1);
    expect(textOf(merged)).toBe(textOf(plain));
    expect(merged.filter((event) => event.type !== "text_delta")).toEqual(
      plain.filter((event) => event.type !== "text_delta"),
    );

    // One event per write, paced: read apart, they stay apart (a loaded machine may still read two at once).
    const events = BODY.split(/\n\n/).filter((event) => event.trim() !== "");
    const paced = await serve((res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      const next = (i: number): void => {
        if (i === events.length) {
          res.end();
          return;
        }
        res.write(`${events[i]}\n\n`);
        setTimeout(() => next(i + 1), 10);
      };
      next(0);
    });
    const apart = await collect(client(paced.url, true).stream(request({ model: "claude-sonnet-4-5" })));
    expect(deltas(apart)).toBeGreaterThan(1);
    expect(textOf(apart)).toBe(textOf(plain));
  });
});
