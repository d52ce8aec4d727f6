import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type ContentBlock, conversationFromEvents, type Message } from "@toad/core";
import { describe, expect, it } from "vitest";
import { decodeSseText, type WireApi } from "../src/wire/decode.js";
import type { ContentEvent, DecodeOutcome, WireUsage } from "../src/wire/types.js";
import { FIXTURES_DIR } from "./helpers/paths.js";

// Walks EVERY recorded stream under shared/fixtures/wire and checks the adapter's
// events against the oracle's `.expected.json` next to it (text, thinking with
// signatures, tool calls, usage, stop reason, failures).

type Json = Record<string, unknown>;

interface Fixture {
  name: string;
  api: WireApi;
  sse: string;
  expected: Json;
}

function apiFor(dir: string, file: string): WireApi {
  if (dir === "anthropic") return "anthropic";
  if (dir === "openai_chat") return "openai-chat";
  if (dir === "openai_responses") return "openai-responses";
  return file.includes("responses") ? "openai-responses" : "anthropic";
}

function loadFixtures(): Fixture[] {
  const out: Fixture[] = [];
  for (const dir of readdirSync(FIXTURES_DIR, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const file of readdirSync(join(FIXTURES_DIR, dir.name))) {
      if (!file.endsWith(".sse")) continue;
      const base = join(FIXTURES_DIR, dir.name, file.slice(0, -4));
      out.push({
        name: `${dir.name}/${file}`,
        api: apiFor(dir.name, file),
        sse: readFileSync(`${base}.sse`, "utf8"),
        expected: JSON.parse(readFileSync(`${base}.expected.json`, "utf8")) as Json,
      });
    }
  }
  return out;
}

function assistantContent(events: ContentEvent[]): ContentBlock[] {
  const messages: Message[] = conversationFromEvents([
    { type: "turn_start", turn: 1, model: "m", provider: "p" },
    ...events,
    { type: "turn_end", turn: 1, stopReason: "end_turn" },
  ]);
  return messages[0]?.content ?? [];
}

const n = (value: unknown): number => (typeof value === "number" ? value : 0);
const rec = (value: unknown): Json => (typeof value === "object" && value !== null ? (value as Json) : {});

function mergeText(blocks: ContentBlock[]): ContentBlock[] {
  const out: ContentBlock[] = [];
  for (const block of blocks) {
    const last = out.at(-1);
    if (block.type === "text" && last?.type === "text") last.text += block.text;
    else if (block.type !== "text" || block.text !== "") out.push({ ...block });
  }
  return out;
}

function checkAnthropic(f: Fixture, events: ContentEvent[], outcome: DecodeOutcome): void {
  const e = f.expected;
  const errors = e.errors as Json[];
  if (String(e.policy_note ?? "").includes("DIFFERENT id")) {
    expect(outcome).toMatchObject({ ok: false, error: { code: "bad_response" } });
    expect(events.filter((ev) => ev.type === "tool_call_complete")).toEqual([]);
    expect(JSON.stringify(events)).not.toContain("toolu_second");
    return;
  }
  if (errors.length > 0) {
    expect(outcome.ok).toBe(false);
    const type = rec(rec(errors[0]).error).type;
    if (type === "overloaded_error" && !outcome.ok) expect(outcome.error.code).toBe("overloaded");
  } else {
    expect(outcome).toMatchObject({ ok: true });
  }
  const wanted: ContentBlock[] = [];
  for (const raw of e.content as Json[]) {
    if (raw.type === "text") wanted.push({ type: "text", text: String(raw.text) });
    if (raw.type === "thinking") {
      wanted.push({
        type: "thinking",
        text: String(raw.thinking),
        signature: String(raw.signature),
        redacted: false,
      });
    }
    if (raw.type === "tool_use" && raw.stopped !== false) {
      const argumentsJson = raw.input_json_raw === "" ? "{}" : String(raw.input_json_raw);
      wanted.push({ type: "tool_use", callId: String(raw.id), name: String(raw.name), argumentsJson });
    }
  }
  expect(mergeText(assistantContent(events))).toEqual(mergeText(wanted));
  if (!outcome.ok) return;
  const stop = e.stop_reason === null ? "end_turn" : e.stop_reason;
  expect(outcome.stopReason).toBe(stop);
  const usage = rec(e.final_usage_merged);
  if (Object.keys(usage).length === 0) {
    expect(outcome.usage).toBeUndefined();
    return;
  }
  expect(outcome.usage).toMatchObject({
    inputTokens: n(usage.input_tokens),
    outputTokens: n(usage.output_tokens),
    cacheReadTokens: n(usage.cache_read_input_tokens),
    cacheWriteTokens: n(usage.cache_creation_input_tokens),
  } satisfies Partial<WireUsage>);
}

const CHAT_STOPS: Record<string, string> = {
  tool_calls: "tool_use",
  length: "max_tokens",
  content_filter: "refusal",
};

function checkChat(f: Fixture, events: ContentEvent[], outcome: DecodeOutcome): void {
  const e = f.expected;
  const choice = rec(rec(e.choices)["0"]);
  expect(outcome).toMatchObject({ ok: true });
  const blocks = assistantContent(events);
  const text = blocks.map((b) => (b.type === "text" ? b.text : "")).join("");
  const thinking = blocks.map((b) => (b.type === "thinking" ? b.text : "")).join("");
  expect(text).toBe(String(choice.content) + String(choice.refusal));
  expect(thinking).toBe(String(choice.reasoning));
  const calls = (choice.tool_calls as Json[]).map((c) => ({
    type: "tool_use",
    callId: c.id === null ? `call_${String(c.index)}` : String(c.id),
    name: String(c.name),
    argumentsJson: c.arguments_raw === "" ? "{}" : String(c.arguments_raw),
  }));
  expect(blocks.filter((b) => b.type === "tool_use")).toEqual(calls);
  if (!outcome.ok) return;
  const finish = String(choice.finish_reason);
  const refused = String(choice.refusal) !== "";
  const stop = CHAT_STOPS[finish] ?? (refused ? "refusal" : calls.length > 0 ? "tool_use" : "end_turn");
  expect(outcome.stopReason).toBe(stop);
  const usage = rec(e.usage);
  const cached = n(rec(usage.prompt_tokens_details).cached_tokens) || n(usage.prompt_cache_hit_tokens);
  if (e.usage === null) expect(outcome.usage).toBeUndefined();
  else {
    expect(outcome.usage).toMatchObject({
      inputTokens: n(usage.prompt_tokens) - cached,
      cacheReadTokens: cached,
      outputTokens: n(usage.completion_tokens),
    });
  }
}

function checkResponses(f: Fixture, events: ContentEvent[], outcome: DecodeOutcome): void {
  const e = f.expected;
  const blocks = assistantContent(events);
  const text = blocks.map((b) => (b.type === "text" ? b.text : "")).join("");
  expect(text).toBe((e.messages as Json[]).map((m) => String(m.text_from_deltas)).join(""));
  const calls = (e.function_calls as Json[]).map((c) => ({
    type: "tool_use",
    callId: String(c.call_id),
    name: String(c.name),
    argumentsJson: String(c.arguments_done ?? c.arguments_from_deltas),
  }));
  expect(blocks.filter((b) => b.type === "tool_use")).toEqual(calls);
  if (e.status === "failed" || (e.errors as unknown[]).length > 0) {
    expect(outcome.ok).toBe(false);
    if (!outcome.ok && JSON.stringify(e.errors).includes("insufficient_quota")) {
      expect(outcome.error).toMatchObject({ code: "quota", retryable: false });
    }
    return;
  }
  expect(outcome).toMatchObject({ ok: true });
  if (!outcome.ok) return;
  const stop = e.status === "incomplete" ? "max_tokens" : calls.length > 0 ? "tool_use" : "end_turn";
  expect(outcome.stopReason).toBe(stop);
  const usage = rec(e.usage);
  const cached = n(rec(usage.input_tokens_details).cached_tokens);
  expect(outcome.usage).toMatchObject({
    inputTokens: n(usage.input_tokens) - cached,
    cacheReadTokens: cached,
    outputTokens: n(usage.output_tokens),
  });
}

const fixtures = loadFixtures();

describe("every recorded wire fixture decodes to its expected result", () => {
  it("finds the fixtures", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(55);
  });

  it.each(fixtures.map((f) => [f.name, f] as const))("%s", (_name, f) => {
    const { events, outcome } = decodeSseText(f.api, f.sse);
    if (f.api === "anthropic") checkAnthropic(f, events, outcome);
    else if (f.api === "openai-chat") checkChat(f, events, outcome);
    else checkResponses(f, events, outcome);
  });

  it.each(
    fixtures.filter(
      (f) =>
        (f.expected.errors as unknown[]).length === 0 &&
        !String(f.expected.policy_note).includes("DIFFERENT id"),
    ),
  )("$name cut before its terminal event counts as failed", (f) => {
    const marker =
      f.api === "anthropic" ? "message_stop" : f.api === "openai-chat" ? "[DONE]" : "response.completed";
    const at = f.sse.lastIndexOf(marker);
    const cutAt = f.api === "openai-chat" ? f.sse.indexOf('"finish_reason":"') : at;
    if (cutAt <= 0) return;
    const body = f.sse.slice(0, f.sse.lastIndexOf("\n\n", cutAt) + 2);
    const { outcome } = decodeSseText(f.api, body);
    expect(outcome).toMatchObject({ ok: false, error: { code: "stream_cut", retryable: true } });
  });
});
