#!/usr/bin/env node
// Pushes long scripted streams through TOAD's provider adapters and prints
// events per second and the overhead per event.
//
//   npm run build && node bench/llm/stream-throughput.mjs [--deltas 50000] [--runs 5]
//
// 1. In memory: a generated SSE body (realistic payload shapes for each wire)
//    is cut into 1-4 KB chunks, as sockets deliver it, and decoded by the
//    SSE parser + provider decoder. This is the adapter's own cost per event.
// 2. Over loopback: the scripted model server (@toad/testkit) streams one long
//    turn; the full ModelClient (fetch, SSE, decoder, events) reads it. The
//    same body read raw (fetch, no parsing) is the baseline; the difference
//    per event is what the models layer adds on top of the socket.

import { createDecoder, createModelClient, defaultLlmConfig, SseDecoder } from "@toad/llm";
import { startMockLlm } from "@toad/testkit";
import { numberArg } from "../args.mjs";
import { messageStart, sse } from "./anthropic-frames.mjs";

const DELTAS = numberArg("deltas", 50_000);
const RUNS = numberArg("runs", 5);
const WORDS = [
  "const",
  " value",
  " =",
  " await",
  " client",
  ".stream",
  "(request",
  ");",
  "\n",
  "  return",
  " result",
  ";",
];

/** A long text answer followed by one tool call, in each wire's real shapes. */
function body(api, deltas) {
  const parts = [];
  const word = (i) => WORDS[i % WORDS.length];
  const args = JSON.stringify({ path: "src/index.ts", content: "x".repeat(400) });
  const argParts = args.match(/.{1,8}/gs);
  if (api === "anthropic") {
    const usage = {
      input_tokens: 1200,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 9000,
      output_tokens: 1,
    };
    parts.push(messageStart(usage));
    parts.push(
      sse("content_block_start", {
        type: "content_block_start",
        index: 0,
        content_block: { type: "text", text: "" },
      }),
    );
    for (let i = 0; i < deltas; i++)
      parts.push(
        sse("content_block_delta", {
          type: "content_block_delta",
          index: 0,
          delta: { type: "text_delta", text: word(i) },
        }),
      );
    parts.push(sse("content_block_stop", { type: "content_block_stop", index: 0 }));
    parts.push(
      sse("content_block_start", {
        type: "content_block_start",
        index: 1,
        content_block: { type: "tool_use", id: "toolu_1", name: "write_file", input: {} },
      }),
    );
    for (const p of argParts)
      parts.push(
        sse("content_block_delta", {
          type: "content_block_delta",
          index: 1,
          delta: { type: "input_json_delta", partial_json: p },
        }),
      );
    parts.push(sse("content_block_stop", { type: "content_block_stop", index: 1 }));
    parts.push(
      sse("message_delta", {
        type: "message_delta",
        delta: { stop_reason: "tool_use", stop_sequence: null },
        usage: { ...usage, output_tokens: deltas },
      }),
    );
    parts.push(sse("message_stop", { type: "message_stop" }));
  } else if (api === "openai-chat") {
    const base = {
      id: "chatcmpl-1",
      object: "chat.completion.chunk",
      created: 1,
      model: "gpt-5",
      service_tier: "default",
      system_fingerprint: "fp_1",
      usage: null,
      obfuscation: "abcdef",
    };
    const chunk = (delta, finish = null) =>
      sse(undefined, { ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
    parts.push(chunk({ role: "assistant", content: "", refusal: null }));
    for (let i = 0; i < deltas; i++) parts.push(chunk({ content: word(i) }));
    parts.push(
      chunk({
        tool_calls: [
          { index: 0, id: "call_1", type: "function", function: { name: "write_file", arguments: "" } },
        ],
      }),
    );
    for (const p of argParts) parts.push(chunk({ tool_calls: [{ index: 0, function: { arguments: p } }] }));
    parts.push(chunk({}, "tool_calls"));
    parts.push(
      sse(undefined, {
        ...base,
        choices: [],
        usage: {
          prompt_tokens: 10200,
          completion_tokens: deltas,
          total_tokens: 10200 + deltas,
          prompt_tokens_details: { cached_tokens: 9000 },
        },
      }),
    );
    parts.push("data: [DONE]\n\n");
  } else {
    let seq = 0;
    const ev = (type, rest) => sse(type, { type, sequence_number: seq++, ...rest });
    parts.push(
      ev("response.created", {
        response: { id: "resp_1", status: "in_progress", model: "gpt-5", output: [] },
      }),
    );
    parts.push(
      ev("response.output_item.added", {
        output_index: 0,
        item: { id: "msg_1", type: "message", role: "assistant", content: [] },
      }),
    );
    for (let i = 0; i < deltas; i++)
      parts.push(
        ev("response.output_text.delta", {
          item_id: "msg_1",
          output_index: 0,
          content_index: 0,
          delta: word(i),
          obfuscation: "abcdef",
        }),
      );
    parts.push(
      ev("response.output_item.added", {
        output_index: 1,
        item: { id: "fc_1", type: "function_call", call_id: "call_1", name: "write_file", arguments: "" },
      }),
    );
    for (const p of argParts)
      parts.push(
        ev("response.function_call_arguments.delta", { item_id: "fc_1", output_index: 1, delta: p }),
      );
    parts.push(
      ev("response.output_item.done", {
        output_index: 1,
        item: { id: "fc_1", type: "function_call", call_id: "call_1", name: "write_file", arguments: args },
      }),
    );
    parts.push(
      ev("response.completed", {
        response: {
          id: "resp_1",
          status: "completed",
          model: "gpt-5",
          usage: {
            input_tokens: 10200,
            input_tokens_details: { cached_tokens: 9000 },
            output_tokens: deltas,
          },
        },
      }),
    );
  }
  return parts.join("");
}

/** Cuts bytes into 1-4 KB chunks (deterministic), as a socket would deliver them. */
function chunks(bytes) {
  const out = [];
  let seed = 7;
  for (let at = 0; at < bytes.length; ) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const size = 1024 + (seed % 3072);
    out.push(bytes.subarray(at, at + size));
    at += size;
  }
  return out;
}

function decodeOnce(api, pieces) {
  const decoder = createDecoder(api, { provider: api, apiKeyEnv: undefined });
  const sseDecoder = new SseDecoder();
  const out = [];
  let events = 0;
  for (const piece of pieces) {
    for (const event of sseDecoder.push(piece)) decoder.push(event, out);
    events += out.length;
    out.length = 0;
  }
  const outcome = decoder.finish(out, false);
  if (!outcome.ok) throw new Error(`${api}: ${outcome.error.message}`);
  return events + out.length;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function inMemory() {
  console.log(`In memory: ${DELTAS} text deltas + one tool call, 1-4 KB chunks, median of ${RUNS} runs`);
  console.log("wire               body MB   events   events/s     ns/event   MB/s");
  for (const api of ["anthropic", "openai-chat", "openai-responses"]) {
    const bytes = new TextEncoder().encode(body(api, DELTAS));
    const pieces = chunks(bytes);
    decodeOnce(api, pieces); // warm-up
    const times = [];
    let events = 0;
    for (let r = 0; r < RUNS; r++) {
      const start = process.hrtime.bigint();
      events = decodeOnce(api, pieces);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    const ms = median(times);
    const row = [
      api.padEnd(18),
      (bytes.length / 1e6).toFixed(2).padStart(7),
      String(events).padStart(8),
      Math.round((events / ms) * 1000)
        .toLocaleString("en-US")
        .padStart(10),
      ((ms * 1e6) / events).toFixed(0).padStart(12),
      (bytes.length / 1e3 / ms).toFixed(0).padStart(6),
    ];
    console.log(row.join(" "));
  }
}

async function loopback() {
  const words = Math.min(DELTAS, 20_000);
  const text = Array.from({ length: words }, (_, i) => WORDS[i % WORDS.length].trim() || "x").join(" ");
  console.log(
    `\nOver loopback (scripted server, ${words} words ≈ ${words} deltas per turn), median of ${RUNS} runs`,
  );
  console.log("wire               events   client ms   raw read ms   events/s   overhead µs/event");
  for (const [api, model] of [
    ["anthropic", "claude-sonnet-4-6"],
    ["openai-chat", "gpt-5-mini"],
    ["openai-responses", "gpt-5"],
  ]) {
    const turn = { content: [{ type: "text", text }], usage: { inputTokens: 10, outputTokens: words } };
    const server = await startMockLlm({ responder: () => turn });
    const env = {
      ANTHROPIC_API_KEY: "k",
      ANTHROPIC_BASE_URL: server.url,
      OPENAI_API_KEY: "k",
      OPENAI_BASE_URL: `${server.url}/v1`,
    };
    const config = defaultLlmConfig(env);
    if (api === "openai-chat")
      config.models["gpt-5-mini"] = { ...config.models["gpt-5-mini"], provider: "openai-chat" };
    const client = createModelClient({ config, env });
    const request = {
      turn: 1,
      model,
      system: "bench",
      messages: [{ role: "user", content: [{ type: "text", text: "go" }] }],
      tools: [],
    };
    const path =
      api === "anthropic" ? "/v1/messages" : api === "openai-chat" ? "/v1/chat/completions" : "/v1/responses";
    const clientTimes = [];
    const rawTimes = [];
    let events = 0;
    for (let r = 0; r <= RUNS; r++) {
      let start = process.hrtime.bigint();
      events = 0;
      for await (const _event of client.stream(request)) events++;
      const clientMs = Number(process.hrtime.bigint() - start) / 1e6;
      // Baseline: the same answer read as raw bytes.
      start = process.hrtime.bigint();
      const res = await fetch(`${server.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
        body: JSON.stringify({
          model,
          stream: true,
          stream_options: { include_usage: true },
          messages: [],
          input: "go",
        }),
      });
      for await (const _chunk of res.body) {
        // read and drop
      }
      const rawMs = Number(process.hrtime.bigint() - start) / 1e6;
      if (r > 0) {
        clientTimes.push(clientMs);
        rawTimes.push(rawMs);
      }
    }
    await server.close();
    const clientMs = median(clientTimes);
    const rawMs = median(rawTimes);
    const row = [
      api.padEnd(18),
      String(events).padStart(6),
      clientMs.toFixed(1).padStart(11),
      rawMs.toFixed(1).padStart(13),
      Math.round((events / clientMs) * 1000)
        .toLocaleString("en-US")
        .padStart(10),
      (((clientMs - rawMs) * 1000) / events).toFixed(2).padStart(19),
    ];
    console.log(row.join(" "));
  }
}

console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
inMemory();
await loopback();
