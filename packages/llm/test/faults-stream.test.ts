import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { conversationFromEvents } from "@toad/core";
import type { MockLlmServer } from "@toad/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { collect, harness, ofType, request, textOf } from "./helpers/mock.js";
import { FIXTURES_DIR } from "./helpers/paths.js";
import { WIRE_LAYER, WIRES } from "./helpers/wires.js";

// Failures after HTTP 200: cuts, in-stream errors, stalls, truncated bodies,
// unreachable servers, and the caller's own abort.

let server: MockLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const LONG = "one two three four five six seven eight nine ten";
const OK = { content: [{ type: "text" as const, text: "second try" }] };

describe.each(WIRES)("$wire: stream faults", ({ model }) => {
  it("retries a stream cut before its first event, with nothing to discard", async () => {
    const h = await harness(
      [{ content: [{ type: "text", text: LONG }], fault: { kind: "cut", afterEvents: 0 } }, OK],
      {
        layer: WIRE_LAYER,
      },
    );
    server = h.server;
    const events = await collect(h.client.stream(request({ model })));
    expect(ofType(events, "retry")).toMatchObject([{ discardPartial: false }]);
    expect(textOf(events)).toBe("second try");
  });

  it("retries a stream cut after output began from scratch, telling the caller to discard the partial text", async () => {
    const h = await harness(
      [{ content: [{ type: "text", text: LONG }], fault: { kind: "cut", afterEvents: 6 } }, OK],
      {
        layer: WIRE_LAYER,
      },
    );
    server = h.server;
    const events = await collect(h.client.stream(request({ model })));
    const retryAt = events.findIndex((e) => e.type === "retry");
    expect(textOf(events.slice(0, retryAt)).length).toBeGreaterThan(0);
    expect(events[retryAt]).toMatchObject({
      type: "retry",
      discardPartial: true,
      reason: expect.stringMatching(/^(stream_cut|network)/),
    });
    expect(textOf(events.slice(retryAt))).toBe("second try");
    // The session log folds to the second attempt only.
    const folded = conversationFromEvents(events);
    expect(folded).toEqual([{ role: "assistant", content: [{ type: "text", text: "second try" }] }]);
    expect(h.server.requests).toHaveLength(2);
  });

  it("retries an in-stream error after output began", async () => {
    const h = await harness(
      [{ content: [{ type: "text", text: LONG }], fault: { kind: "midstream_error" } }, OK],
      {
        layer: WIRE_LAYER,
      },
    );
    server = h.server;
    const events = await collect(h.client.stream(request({ model })));
    expect(ofType(events, "retry")).toMatchObject([{ discardPartial: true }]);
    expect(events.at(-1)).toMatchObject({ stopReason: "end_turn" });
    expect(textOf(events)).toBe(`${LONG}second try`);
  });

  it("treats a stalled stream as a failure and retries", async () => {
    const slow = { content: [{ type: "text" as const, text: LONG }], tokensPerSecond: 4 };
    const h = await harness([slow, OK], {
      layer: { ...WIRE_LAYER, retry: { idleTimeoutMs: 60 } },
    });
    server = h.server;
    const events = await collect(h.client.stream(request({ model })));
    expect(ofType(events, "retry")[0]?.reason).toMatch(/^timeout: .*no data for 60 ms/);
    expect(events.at(-1)).toMatchObject({ stopReason: "end_turn" });
  });

  it("stops promptly with turn_end cancelled when the caller aborts mid-stream", async () => {
    const h = await harness([{ content: [{ type: "text", text: LONG }], tokensPerSecond: 50 }], {
      layer: WIRE_LAYER,
    });
    server = h.server;
    const controller = new AbortController();
    const events = [];
    const started = Date.now();
    for await (const event of h.client.stream(request({ model }), { signal: controller.signal })) {
      events.push(event);
      if (event.type === "text_delta") controller.abort();
    }
    expect(Date.now() - started).toBeLessThan(1000);
    expect(events.at(-1)).toEqual({ type: "turn_end", turn: 1, stopReason: "cancelled" });
    expect(ofType(events, "error")).toEqual([]);
  });
});

describe("transport failures", () => {
  async function closedPort(): Promise<number> {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const address = probe.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    return port;
  }

  it("retries a refused connection, then reports a network error", async () => {
    const port = await closedPort();
    const h = await harness([], { env: { ANTHROPIC_BASE_URL: `http://127.0.0.1:${port}` } });
    server = h.server;
    const events = await collect(h.client.stream(request({ model: "claude-haiku-4-5" })));
    expect(ofType(events, "retry")).toHaveLength(2);
    expect(ofType(events, "error")[0]).toMatchObject({ code: "network", retryable: true });
    expect(ofType(events, "error")[0]?.message).toMatch(/could not reach .*ECONNREFUSED/);
  });

  it("counts a body that ends without message_stop as failed and retries it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "toad-llm-"));
    const full = readFileSync(join(FIXTURES_DIR, "anthropic/vercel_anthropic-text.sse"), "utf8");
    const truncated = join(dir, "truncated.sse");
    writeFileSync(truncated, full.slice(0, full.indexOf("event: message_stop")));
    const h = await harness([{ replay: truncated }, OK]);
    server = h.server;
    const events = await collect(h.client.stream(request({ model: "claude-sonnet-4-5" })));
    expect(ofType(events, "retry")).toMatchObject([
      { discardPartial: true, reason: expect.stringContaining("ended before message_stop") },
    ]);
    expect(events.at(-1)).toMatchObject({ stopReason: "end_turn" });
  });

  it("does not retry an in-stream insufficient_quota (recorded Responses stream)", async () => {
    const replay = join(FIXTURES_DIR, "errors/openai_responses_midstream_error_insufficient_quota.sse");
    const h = await harness([{ replay }, OK]);
    server = h.server;
    const events = await collect(h.client.stream(request({ model: "gpt-5-nano" })));
    expect(ofType(events, "error")[0]).toMatchObject({ code: "quota", retryable: false });
    expect(h.server.requests).toHaveLength(1);
  });

  it("replays a recorded live stream end to end", async () => {
    const replay = join(
      FIXTURES_DIR,
      "anthropic/vercel_anthropic-code-execution-20260120-prompt-cache.1.sse",
    );
    const h = await harness([{ replay }]);
    server = h.server;
    const events = await collect(h.client.stream(request({ model: "claude-sonnet-4-5" })));
    expect(ofType(events, "usage")[0]).toMatchObject({ cacheReadTokens: 6289, cacheWriteTokens: 3337 });
    expect(events.at(-1)).toMatchObject({ stopReason: "end_turn" });
  });

  it("aborted before it starts: no request, turn_end cancelled", async () => {
    const h = await harness([OK]);
    server = h.server;
    const controller = new AbortController();
    controller.abort();
    const events = await collect(
      h.client.stream(request({ model: "claude-haiku-4-5" }), { signal: controller.signal }),
    );
    expect(events.map((e) => e.type)).toEqual(["turn_start", "turn_end"]);
    expect(events.at(-1)).toMatchObject({ stopReason: "cancelled" });
    expect(h.server.requests).toHaveLength(0);
  });

  it("a consumer that stops reading early aborts the request and frees its socket", async () => {
    const signals: AbortSignal[] = [];
    const h = await harness([{ content: [{ type: "text", text: LONG }], tokensPerSecond: 20 }], {
      client: {
        fetch: (url, init) => {
          if (init.signal) signals.push(init.signal);
          return fetch(url, init);
        },
      },
    });
    server = h.server;
    for await (const event of h.client.stream(request({ model: "claude-haiku-4-5" }))) {
      if (event.type === "text_delta") break;
    }
    expect(signals).toHaveLength(1);
    expect(signals[0]?.aborted).toBe(true);
  });
});
