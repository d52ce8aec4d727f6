import { type AgentEventBody, conversationFromEvents, type Message, type ModelRequest } from "@toad/core";
import type { MockLlmServer } from "@toad/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { cachedShare } from "../src/cost.js";
import { MAX_CACHE_BREAKPOINTS } from "../src/wire/anthropic-request.js";
import { collect, harness, ofType, READ_FILE_TOOL, request } from "./helpers/mock.js";

// Prompt caching, asserted on what the scripted server recorded: at most four
// breakpoints, on the stable prefix, and a prefix that is byte-identical from
// one request to the next.

let server: MockLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

type Json = Record<string, unknown>;

const TOOLS = [
  READ_FILE_TOOL,
  { name: "grep", description: "Search files.", inputSchema: { type: "object" } },
];
const SYSTEM = "You are TOAD.\n\n<repo_map>\nsrc/a.ts: export const a\nsrc/b.ts: export const b\n</repo_map>";

/** Paths of every cache_control in a body. */
function breakpoints(value: unknown, path = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => breakpoints(item, `${path}[${i}]`));
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === "cache_control" ? [path] : breakpoints(inner, path === "" ? key : `${path}.${key}`),
  );
}

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => k !== "cache_control")
      .map(([k, v]) => [k, strip(v)]),
  );
}

async function runSession(turns: number): Promise<{ bodies: Json[]; usage: AgentEventBody[] }> {
  const script = Array.from({ length: turns }, (_, i) => ({
    content: [
      { type: "text" as const, text: `Step ${i + 1}.` },
      {
        type: "tool_call" as const,
        id: `toolu_${i + 1}`,
        name: "read_file",
        arguments: { path: `f${i + 1}.ts` },
      },
    ],
    usage: {
      inputTokens: 40,
      cacheReadTokens: i === 0 ? 0 : 3000 + i * 100,
      cacheWriteTokens: 120,
      outputTokens: 30,
    },
  }));
  const h = await harness(script);
  server = h.server;
  let messages: Message[] = [{ role: "user", content: [{ type: "text", text: "Look through the files." }] }];
  const usage: AgentEventBody[] = [];
  for (let turn = 1; turn <= turns; turn++) {
    const req: ModelRequest = request({
      turn,
      model: "claude-sonnet-4-6",
      system: SYSTEM,
      tools: TOOLS,
      messages,
    });
    const events = await collect(h.client.stream(req));
    usage.push(...ofType(events, "usage"));
    const results: AgentEventBody[] = ofType(events, "tool_call_complete").map((c) => ({
      type: "tool_result",
      callId: c.callId,
      name: c.name,
      output: `contents of ${c.callId}`,
      isError: false,
      durationMs: 1,
    }));
    messages = [...messages, ...conversationFromEvents([...events, ...results])];
  }
  return { bodies: h.server.requests.map((r) => r.body as Json), usage };
}

describe("anthropic prompt caching", () => {
  it("puts at most four breakpoints on tools, system, the newest message and the previous turn's tail", async () => {
    const { bodies } = await runSession(4);
    for (const body of bodies) expect(breakpoints(body).length).toBeLessThanOrEqual(MAX_CACHE_BREAKPOINTS);
    expect(breakpoints(bodies[0])).toEqual(["tools[1]", "system[0]", "messages[0].content[0]"]);
    // Turn 2: [user, assistant, user(tool result)]; turn 3 adds two more messages.
    // (Paths in document order.)
    expect(breakpoints(bodies[1])).toEqual([
      "tools[1]",
      "system[0]",
      "messages[0].content[0]",
      "messages[2].content[0]",
    ]);
    expect(breakpoints(bodies[3])).toEqual([
      "tools[1]",
      "system[0]",
      "messages[4].content[0]",
      "messages[6].content[0]",
    ]);
    // Breakpoint 4 sits exactly where the previous request put breakpoint 3.
    for (let i = 1; i < bodies.length; i++) {
      const previousLast = ((bodies[i - 1]?.messages ?? []) as unknown[]).length - 1;
      expect(breakpoints(bodies[i])).toContain(`messages[${previousLast}].content[0]`);
    }
  });

  it("keeps the prefix byte-identical turn over turn", async () => {
    const { bodies } = await runSession(4);
    for (let i = 1; i < bodies.length; i++) {
      const before = strip(bodies[i - 1]) as Json;
      const after = strip(bodies[i]) as Json;
      expect(JSON.stringify(after.tools)).toBe(JSON.stringify(before.tools));
      expect(JSON.stringify(after.system)).toBe(JSON.stringify(before.system));
      const old = before.messages as unknown[];
      const prefix = (after.messages as unknown[]).slice(0, old.length);
      expect(JSON.stringify(prefix)).toBe(JSON.stringify(old));
    }
  });

  it("reports the cached share of each prompt and prices reads and writes at their own rates", async () => {
    const { usage } = await runSession(2);
    const second = usage[1];
    if (second?.type !== "usage") throw new Error("no usage");
    expect(second).toMatchObject({ inputTokens: 40, cacheReadTokens: 3100, cacheWriteTokens: 120 });
    expect(cachedShare({ ...second })).toBeCloseTo(3100 / 3260, 10);
    // Sonnet 4.6: $3 input, $3.75 5-minute write, $0.30 read, $15 output per Mtok.
    expect(second.costUsd).toBeCloseTo((40 * 3 + 120 * 3.75 + 3100 * 0.3 + 30 * 15) / 1e6, 12);
  });

  it("never marks a thinking block, and skips breakpoints on an empty system prompt", async () => {
    const h = await harness([{ content: [{ type: "text", text: "ok" }] }]);
    server = h.server;
    const messages: Message[] = [
      { role: "user", content: [{ type: "text", text: "q" }] },
      { role: "assistant", content: [{ type: "thinking", text: "t", signature: "sig", redacted: false }] },
      { role: "user", content: [{ type: "text", text: "again" }] },
    ];
    await collect(h.client.stream(request({ model: "claude-haiku-4-5", system: "", messages })));
    expect(breakpoints(h.server.requests[0]?.body)).toEqual([
      "messages[0].content[0]",
      "messages[2].content[0]",
    ]);
  });
});

describe("openai wires", () => {
  it("send no cache_control (OpenAI caches prefixes on its own)", async () => {
    const h = await harness(
      [{ content: [{ type: "text", text: "ok" }] }, { content: [{ type: "text", text: "ok" }] }],
      {
        layer: { models: { "gpt-5-mini": { provider: "openai-chat" } } },
      },
    );
    server = h.server;
    await collect(h.client.stream(request({ model: "gpt-5-mini", tools: TOOLS })));
    await collect(h.client.stream(request({ model: "gpt-5-nano", tools: TOOLS })));
    expect(h.server.requests.map((r) => breakpoints(r.body))).toEqual([[], []]);
  });
});
