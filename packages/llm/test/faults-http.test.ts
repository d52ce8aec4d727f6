import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { MockLlmServer } from "@toad/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { collect, harness, ofType, request, textOf } from "./helpers/mock.js";
import { FIXTURES_DIR } from "./helpers/paths.js";
import { WIRE_LAYER, WIRES } from "./helpers/wires.js";

// HTTP-level failures from the scripted server, on every wire: which are
// retried, how long the client waits, and what the caller is told.

let server: MockLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const OK = { content: [{ type: "text" as const, text: "recovered" }] };

describe.each(WIRES)("$wire: HTTP faults", ({ model, keyEnv }) => {
  it("honours retry-after-ms on a 429 and then answers", async () => {
    const h = await harness([{ fault: { kind: "http", status: 429, retryAfterMs: 20 } }, OK], {
      layer: WIRE_LAYER,
    });
    server = h.server;
    const events = await collect(h.client.stream(request({ model })));
    expect(ofType(events, "retry")).toEqual([
      {
        type: "retry",
        attempt: 1,
        delayMs: 20,
        reason: expect.stringMatching(/^rate_limited/),
        discardPartial: false,
      },
    ]);
    expect(h.sleeps).toEqual([20]);
    expect(textOf(events)).toBe("recovered");
    expect(events.at(-1)).toMatchObject({ type: "turn_end", stopReason: "end_turn" });
  });

  it("honours retry-after in seconds", async () => {
    const h = await harness([{ fault: { kind: "http", status: 429, retryAfterSeconds: 3 } }, OK], {
      layer: WIRE_LAYER,
    });
    server = h.server;
    await collect(h.client.stream(request({ model })));
    expect(h.sleeps).toEqual([3000]);
  });

  it("backs off exponentially with jitter on 5xx, then reports the failure without throwing", async () => {
    const h = await harness(
      [{ fault: { kind: "http", status: 503, message: "upstream hiccup" }, times: 3 }],
      {
        layer: WIRE_LAYER,
      },
    );
    server = h.server;
    const events = await collect(h.client.stream(request({ model })));
    // base 500 ms, doubling, jitter factor (1 - 0.25 × 0.5)
    expect(h.sleeps).toEqual([438, 875]);
    expect(h.server.requests).toHaveLength(3);
    expect(ofType(events, "error")).toEqual([
      {
        type: "error",
        code: "server_error",
        message: expect.stringContaining("upstream hiccup"),
        retryable: true,
      },
    ]);
    expect(events.at(-1)).toEqual({ type: "turn_end", turn: 1, stopReason: "error" });
  });

  it("never retries an insufficient_quota error", async () => {
    const fault = {
      kind: "http" as const,
      status: 429,
      errorType: "insufficient_quota",
      code: "insufficient_quota",
    };
    const h = await harness([{ fault }, OK], { layer: WIRE_LAYER });
    server = h.server;
    const events = await collect(h.client.stream(request({ model })));
    expect(h.server.requests).toHaveLength(1);
    expect(ofType(events, "retry")).toEqual([]);
    expect(ofType(events, "error")[0]).toMatchObject({ code: "quota", retryable: false });
  });

  it("names the variable to set when the key is rejected", async () => {
    const h = await harness([{ fault: { kind: "http", status: 401 } }], { layer: WIRE_LAYER });
    server = h.server;
    const events = await collect(h.client.stream(request({ model })));
    const [error] = ofType(events, "error");
    expect(error).toMatchObject({ code: "auth", retryable: false });
    expect(error?.message).toContain(`Set ${keyEnv}`);
    expect(h.server.requests).toHaveLength(1);
  });

  it("names the variable to set when no key is configured, without calling the API", async () => {
    const h = await harness([OK], { layer: WIRE_LAYER, env: { [keyEnv]: undefined } });
    server = h.server;
    const events = await collect(h.client.stream(request({ model })));
    expect(ofType(events, "error")[0]?.message).toMatch(new RegExp(`No API key for .*Set ${keyEnv}`));
    expect(h.server.requests).toHaveLength(0);
  });

  it("obeys x-should-retry: false", async () => {
    const h = await harness([{ fault: { kind: "http", status: 500, shouldRetry: false } }, OK], {
      layer: WIRE_LAYER,
    });
    server = h.server;
    const events = await collect(h.client.stream(request({ model })));
    expect(h.server.requests).toHaveLength(1);
    expect(ofType(events, "error")[0]).toMatchObject({ code: "server_error", retryable: false });
  });
});

describe("recorded error bodies", () => {
  const body = (name: string): unknown =>
    JSON.parse(readFileSync(join(FIXTURES_DIR, "errors", name), "utf8"));

  it.each([
    ["anthropic_400_prompt_too_long.json", "claude-haiku-4-5"],
    ["openai_400_context_length_exceeded.json", "gpt-5-mini"],
    ["deepseek_400_context_length.json", "gpt-5-mini"],
  ])("%s surfaces as context_length so the caller compacts", async (file, model) => {
    const h = await harness([{ fault: { kind: "http", status: 400, body: body(file) } }, OK], {
      layer: WIRE_LAYER,
    });
    server = h.server;
    const events = await collect(h.client.stream(request({ model })));
    expect(ofType(events, "error")[0]).toMatchObject({ code: "context_length", retryable: false });
    expect(h.server.requests).toHaveLength(1);
  });

  it("retries Anthropic's 529 overloaded body", async () => {
    const fault = { kind: "http" as const, status: 529, body: body("anthropic_529_overloaded.json") };
    const h = await harness([{ fault }, OK]);
    server = h.server;
    const events = await collect(h.client.stream(request({ model: "claude-haiku-4-5" })));
    expect(ofType(events, "retry")[0]?.reason).toMatch(/^overloaded/);
    expect(textOf(events)).toBe("recovered");
  });

  it("waits as long as OpenAI's message says when there is no header", async () => {
    const fault = { kind: "http" as const, status: 429, body: body("openai_429_rate_limit_tpm.json") };
    const h = await harness([{ fault }, OK], { layer: WIRE_LAYER });
    server = h.server;
    await collect(h.client.stream(request({ model: "gpt-5-mini" })));
    expect(h.sleeps).toEqual([1574]);
  });

  it("does not retry a spend cap reported as a 429", async () => {
    const spendCap = {
      type: "error",
      error: {
        type: "rate_limit_error",
        message: "Spend limit",
        details: { error_code: "enforced_spend_limit_reached" },
      },
    };
    const h = await harness([{ fault: { kind: "http", status: 429, body: spendCap } }, OK]);
    server = h.server;
    const events = await collect(h.client.stream(request({ model: "claude-haiku-4-5" })));
    expect(ofType(events, "error")[0]).toMatchObject({ code: "quota", retryable: false });
  });
});

describe("fallback chain per tier", () => {
  const layer = { tiers: { balanced: ["claude-sonnet-4-6", "gpt-5.4"] } };

  it("moves to the next model when retries are exhausted, and says which model answers", async () => {
    const h = await harness(
      [
        { match: { wire: "anthropic" }, fault: { kind: "http", status: 529 }, times: 3 },
        {
          match: { wire: "openai-responses" },
          content: [{ type: "text", text: "gpt here" }],
          usage: { outputTokens: 3 },
        },
      ],
      { layer },
    );
    server = h.server;
    const events = await collect(h.client.stream(request()));
    expect(events[0]).toMatchObject({ model: "claude-sonnet-4-6" });
    const retries = ofType(events, "retry");
    expect(retries.map((r) => r.nextModel)).toEqual([undefined, undefined, "gpt-5.4"]);
    expect(retries.at(-1)).toMatchObject({ attempt: 3, delayMs: 0, discardPartial: false });
    expect(textOf(events)).toBe("gpt here");
    expect(ofType(events, "usage")[0]?.model).toBe("gpt-5.4");
    expect(h.server.requests.map((r) => r.wire)).toEqual([
      "anthropic",
      "anthropic",
      "anthropic",
      "openai-responses",
    ]);
  });

  it("does not wait out a retry-after longer than the cap: the next model answers at once", async () => {
    const h = await harness(
      [
        { match: { wire: "anthropic" }, fault: { kind: "http", status: 429, retryAfterSeconds: 600 } },
        { match: { wire: "openai-responses" }, content: [{ type: "text", text: "fast lane" }] },
      ],
      { layer },
    );
    server = h.server;
    const events = await collect(h.client.stream(request()));
    expect(h.sleeps).toEqual([]);
    expect(ofType(events, "retry")).toMatchObject([{ nextModel: "gpt-5.4" }]);
    expect(textOf(events)).toBe("fast lane");
  });

  it("skips models whose provider has no key", async () => {
    const h = await harness([OK], { layer, env: { ANTHROPIC_API_KEY: undefined } });
    server = h.server;
    expect(h.client.chainFor({ tier: "balanced" }).map((r) => r.model.id)).toEqual(["gpt-5.4"]);
  });

  it("does not fall back from a context-length error (the caller compacts instead)", async () => {
    const h = await harness(
      [
        {
          fault: { kind: "http", status: 400, message: "prompt is too long: 210000 tokens > 200000 maximum" },
        },
      ],
      {
        layer,
      },
    );
    server = h.server;
    const events = await collect(h.client.stream(request()));
    expect(ofType(events, "retry")).toEqual([]);
    expect(ofType(events, "error")[0]?.code).toBe("context_length");
  });
});
