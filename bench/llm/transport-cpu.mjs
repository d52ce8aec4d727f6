#!/usr/bin/env node
// CPU the models layer spends per streamed event, client side only: N
// concurrent Anthropic streams from a loopback SSE server (in a child process,
// so its CPU is not counted) through createModelClient, once with the global
// fetch injected and once with the client's default transport.
//
//   npx turbo run build --filter=@toad/llm
//   node bench/llm/transport-cpu.mjs [--streams 32] [--events 1500] [--interval 5] [--batch 1] [--runs 5]
//     [--only fetch|default|baseline] [--baseline /path/to/other/llm/dist/index.js]
//
// Each stream writes `batch` text_delta frames every `interval` ms, one socket
// write per tick, the way a provider paces tokens. The number printed is the
// process CPU (user + system) while the streams run, divided by the events the
// consumer received.

import { fork } from "node:child_process";
import { createServer } from "node:http";
import { numberArg } from "../args.mjs";
import { messageStart, sse } from "./anthropic-frames.mjs";

const STREAMS = numberArg("streams", 32);
const EVENTS = numberArg("events", 1500);
const INTERVAL = numberArg("interval", 5);
const BATCH = numberArg("batch", 1);
const RUNS = numberArg("runs", 5);

const WORDS = [" const", " value", " =", " await", " client", ".stream", "(request", ");", "\n"];

function serve() {
  const head =
    messageStart({ input_tokens: 1200, cache_read_input_tokens: 9000, output_tokens: 1 }) +
    sse("content_block_start", {
      type: "content_block_start",
      index: 0,
      content_block: { type: "text", text: "" },
    });
  const deltas = WORDS.map((text) =>
    sse("content_block_delta", {
      type: "content_block_delta",
      index: 0,
      delta: { type: "text_delta", text },
    }),
  );
  const tail =
    sse("content_block_stop", { type: "content_block_stop", index: 0 }) +
    sse("message_delta", {
      type: "message_delta",
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: { output_tokens: EVENTS },
    }) +
    sse("message_stop", { type: "message_stop" });
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      res.write(head);
      let sent = 0;
      const tick = () => {
        if (res.destroyed) return;
        let out = "";
        for (let b = 0; b < BATCH && sent < EVENTS; b++, sent++) out += deltas[sent % deltas.length];
        if (sent >= EVENTS) {
          res.end(out + tail);
          return;
        }
        res.write(out);
        setTimeout(tick, INTERVAL);
      };
      setTimeout(tick, INTERVAL);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1", () => process.send?.({ port: server.address().port }));
}

async function main() {
  const { createModelClient, defaultLlmConfig } = await import("@toad/llm");
  const child = fork(new URL(import.meta.url).pathname, [...process.argv.slice(2), "--serve"]);
  const port = await new Promise((resolve) => child.once("message", (m) => resolve(m.port)));
  const url = `http://127.0.0.1:${port}`;
  const env = { ANTHROPIC_API_KEY: "k", ANTHROPIC_BASE_URL: url };
  const config = defaultLlmConfig(env);
  const all = {
    "fetch (injected)": createModelClient({ config, env, fetch: (u, init) => fetch(u, init) }),
    default: createModelClient({ config, env }),
  };
  // --baseline <dist/index.js of another build>: its default client as well, in the same runs.
  const baseline = process.argv.indexOf("--baseline");
  if (baseline !== -1) {
    const other = await import(process.argv[baseline + 1]);
    all["baseline default"] = other.createModelClient({ config, env });
  }
  // --only fetch | default: one path alone (for a --cpu-prof of it).
  const only = process.argv.indexOf("--only");
  const clients = Object.fromEntries(
    Object.entries(all).filter(([name]) => only === -1 || name.startsWith(process.argv[only + 1])),
  );
  const request = {
    turn: 1,
    model: "claude-sonnet-4-6",
    system: "bench",
    messages: [{ role: "user", content: [{ type: "text", text: "go" }] }],
    tools: [],
  };

  async function one(client) {
    let events = 0;
    let last;
    for await (const event of client.stream(request)) {
      events++;
      last = event;
    }
    if (last?.type !== "turn_end" || last.stopReason !== "end_turn") throw new Error(JSON.stringify(last));
    return events;
  }

  async function run(client) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    const counts = await Promise.all(Array.from({ length: STREAMS }, () => one(client)));
    const used = process.cpuUsage(cpu);
    const events = counts.reduce((a, b) => a + b, 0);
    return { usPerEvent: (used.user + used.system) / events, ms: performance.now() - start, events };
  }

  const results = Object.fromEntries(Object.keys(clients).map((k) => [k, []]));
  for (const client of Object.values(clients)) await run(client); // warm-up, opens the sockets
  for (let r = 0; r < RUNS; r++) {
    for (const [name, client] of Object.entries(clients)) results[name].push(await run(client));
  }
  child.kill();

  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(
    `node ${process.version}; ${STREAMS} streams x ${EVENTS} deltas, ${BATCH} per write every ${INTERVAL} ms`,
  );
  console.log("client               events/run   wall ms   client CPU µs/event (median, min-max)");
  for (const [name, rs] of Object.entries(results)) {
    const us = rs.map((x) => x.usPerEvent);
    console.log(
      [
        name.padEnd(20),
        String(rs[0].events).padStart(10),
        median(rs.map((x) => x.ms))
          .toFixed(0)
          .padStart(9),
        `${median(us).toFixed(2).padStart(12)}  (${Math.min(...us).toFixed(2)}-${Math.max(...us).toFixed(2)})`,
      ].join(" "),
    );
  }
}

if (process.argv.includes("--serve")) serve();
else await main();
