#!/usr/bin/env node
// The scripted model server for bench/peers.sh: @toad/testkit's startMockLlm with a
// responder, because the answer depends on the request (which agent asks, how many
// tool results it already sent back).
//
//   node bench/peers/mock-server.mjs --repo DIR --steps 50 --log FILE [--port N]
//
// Prints the base URL on one line once it listens; stops on SIGTERM/SIGINT.
//
// - A request whose body holds LOOP_MARKER and offers the agent's own read tool gets
//   one read-a-file tool call per turn until it carries `steps` tool results, then a
//   text answer. The read tool is picked from the tools the agent sent: Claude Code's
//   `Read` (absolute `file_path`), TOAD's `read_file` (`path`), Codex's `exec_command`
//   (`cmd: cat FILE`; older Codex: `shell` with `command: [...]`).
// - Every other request (the one-shot prompt, side requests) gets a short text answer.
// - One JSON line per request goes to --log: who asked, how many tool results it held,
//   and whether the last tool result held the token of the file asked for, so the
//   bench can check that all reads really happened.

import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startMockLlm, toolResultText } from "@toad/testkit";

const LOOP_MARKER = "bench-peers-loop";

const { values } = parseArgs({
  options: {
    repo: { type: "string" },
    steps: { type: "string", default: "50" },
    log: { type: "string" },
    port: { type: "string", default: "0" },
  },
  strict: true,
});
if (values.repo === undefined || values.log === undefined) {
  process.stderr.write("usage: mock-server.mjs --repo DIR --log FILE [--steps 50] [--port N]\n");
  process.exit(2);
}
const repo = values.repo;
const logFile = values.log;
const steps = Number(values.steps);

const isRecord = (value) => typeof value === "object" && value !== null && !Array.isArray(value);

/** Relative path of the n-th file (1-based) of the loop; bench/peers.sh writes the same names. */
const fileName = (n) => `src/file_${String(n).padStart(2, "0")}.txt`;

/** Tool names the request offers (Anthropic and Responses both put `name` on each tool). */
function toolNames(body) {
  const tools = Array.isArray(body.tools) ? body.tools : [];
  return tools.filter(isRecord).map((tool) => tool.name);
}

/** Which agent's read tool to call, and how, given the tools on offer. */
function readTool(names) {
  if (names.includes("Read"))
    return { agent: "claude", call: (n) => ["Read", { file_path: join(repo, fileName(n)) }] };
  if (names.includes("read_file"))
    return { agent: "toad", call: (n) => ["read_file", { path: fileName(n) }] };
  if (names.includes("exec_command"))
    return { agent: "codex", call: (n) => ["exec_command", { cmd: `cat ${fileName(n)}` }] };
  if (names.includes("shell"))
    return { agent: "codex", call: (n) => ["shell", { command: ["cat", fileName(n)] }] };
  return undefined;
}

/** Tool results the whole conversation holds so far (all turns, not just the last). */
function countToolResults(request) {
  const body = request.body;
  if (request.wire === "anthropic") {
    const messages = Array.isArray(body.messages) ? body.messages : [];
    return messages
      .filter((m) => isRecord(m) && m.role === "user" && Array.isArray(m.content))
      .flatMap((m) => m.content)
      .filter((block) => isRecord(block) && block.type === "tool_result").length;
  }
  if (request.wire === "openai-responses" || request.wire === "openai-chat") {
    const items = Array.isArray(body.input) ? body.input : Array.isArray(body.messages) ? body.messages : [];
    return items.filter(
      (item) =>
        isRecord(item) &&
        ((typeof item.type === "string" && item.type.endsWith("_call_output")) || item.role === "tool"),
    ).length;
  }
  return 0;
}

function respond(request) {
  if (!isRecord(request.body)) return undefined;
  const tool = readTool(toolNames(request.body));
  const loop = request.rawBody.includes(LOOP_MARKER);
  const results = countToolResults(request);
  const entry = {
    at: Date.now(),
    agent: tool?.agent ?? "other",
    wire: request.wire,
    loop,
    results,
    // The file read last is number `results`; its token proves the read succeeded.
    lastReadOk: results === 0 ? null : toolResultText(request).includes(`bench-token-${results}.`),
  };
  let turn;
  if (loop && tool !== undefined && results < steps) {
    const [name, args] = tool.call(results + 1);
    turn = { content: [{ type: "tool_call", name, arguments: args }] };
    entry.reply = "tool";
  } else {
    const text = loop ? `Read ${results} files.` : "Hello from the mock.";
    turn = { content: [{ type: "text", text }] };
    entry.reply = "text";
  }
  appendFileSync(logFile, `${JSON.stringify(entry)}\n`);
  return turn;
}

const server = await startMockLlm({ port: Number(values.port), responder: respond });
process.stdout.write(`${server.url}\n`);

const stop = () => {
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
