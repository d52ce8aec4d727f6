#!/usr/bin/env node
// The terminal UI's speed, measured on the real built `toad` in a tmux pane
// against the scripted model server (@toad/testkit), in a temp home and repo.
//
//   npm run build && node bench/ui/run.mjs [--runs 10] [--keys 40] [--pages 30]
//
// Prints:
// 1. time to first frame: spawn → the prompt box is on the screen (median, p90
//    over --runs; tmux polling included), and the process's own count
//    (TOAD_UI_TRACE first_frame: process start → first render);
// 2. keystroke → screen while the agent streams at 200 tokens/s: each of --keys
//    characters is typed alone and timed until it shows in the prompt box
//    (median, p90, max) and the keystrokes that never showed (must be 0);
// 3. a 2,000-message session (prepared in the temp store): time to the first
//    frame of `toad --continue`, time to switch to the full-screen split layout,
//    and the time from each of --pages PgUp presses to the scrolled screen.

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { openSqliteStore, storeLocation } from "@toad/store";
import { startMockLlm } from "@toad/testkit";
import { commandLine, startPane, tmuxAvailable } from "./tmux.mjs";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "10" },
    keys: { type: "string", default: "40" },
    pages: { type: "string", default: "30" },
  },
  strict: true,
});
const RUNS = Number(values.runs);
const KEYS = Number(values.keys);
const PAGES = Number(values.pages);
const COLUMNS = 120;
const ROWS = 40;
const MODEL = "claude-sonnet-4-5";
const TOAD_BIN = fileURLToPath(new URL("../../cli/bin/toad.js", import.meta.url));
const PROMPT_BOX = "ask toad";

if (!tmuxAvailable()) {
  console.error("bench/ui needs tmux (apt-get install tmux)");
  process.exit(2);
}

const root = realpathSync(mkdtempSync(join(tmpdir(), "toad-bench-ui-")));
const repo = join(root, "repo");
mkdirSync(repo, { recursive: true });
writeFileSync(join(repo, "calc.js"), "exports.add = (a, b) => a - b;\n");
execFileSync("git", ["init", "-q"], { cwd: repo });

// Long enough to stream for the whole keystroke test at 200 tokens/s.
const LONG = Array.from({ length: 6000 }, (_, i) => `token${i}`).join(" ");
const llm = await startMockLlm({
  script: { turns: [{ content: [{ type: "text", text: LONG }], tokensPerSecond: 200, times: 100 }] },
});
const env = {
  PATH: process.env.PATH,
  HOME: join(root, "home"),
  TOAD_DATA_DIR: join(root, "data"),
  TOAD_CONFIG_HOME: join(root, "config"),
  ANTHROPIC_API_KEY: "sk-ant-bench",
  ANTHROPIC_BASE_URL: llm.url,
  TERM: "xterm-256color",
};

let paneCount = 0;
function toad(args, extraEnv = {}) {
  paneCount++;
  return startPane(commandLine([process.execPath, TOAD_BIN, ...args], { ...env, ...extraEnv }, repo), {
    columns: COLUMNS,
    rows: ROWS,
    name: `p${paneCount}`,
  });
}

const stats = (samples) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p90: at(0.9), max: sorted.at(-1) ?? Number.NaN, n: sorted.length };
};
const ms = (value) => `${value.toFixed(0)} ms`;
const line = (label, s) =>
  console.log(`  ${label.padEnd(44)} median ${ms(s.median)}  p90 ${ms(s.p90)}  max ${ms(s.max)}  (n=${s.n})`);

function readTrace(path) {
  try {
    return readFileSync(path, "utf8")
      .trim()
      .split("\n")
      .map((text) => JSON.parse(text));
  } catch {
    return [];
  }
}

async function firstFrame() {
  const spawn = [];
  const internal = [];
  for (let run = 0; run < RUNS; run++) {
    const trace = join(root, `trace-${run}.jsonl`);
    const started = performance.now();
    const pane = toad(["--model", MODEL], { TOAD_UI_TRACE: trace });
    try {
      await pane.until((screen) => screen.includes(PROMPT_BOX), "the prompt box");
      spawn.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const first = readTrace(trace).find((record) => record.event === "first_frame");
      if (first) internal.push(first.sinceStartMs);
    } finally {
      pane.kill();
    }
  }
  console.log("Time to first frame (toad, new session)");
  line("spawn → prompt box on screen", stats(spawn));
  if (internal.length > 0) line("process start → first render (trace)", stats(internal));
}

async function keystrokes() {
  const pane = toad(["--model", MODEL]);
  try {
    await pane.until((screen) => screen.includes(PROMPT_BOX), "the prompt box");
    pane.type("talk at length");
    pane.send("Enter");
    await pane.until((screen) => screen.includes("token40 "), "the stream");
    const streamStart = performance.now();
    const typed = "the quick brown fox jumps over the lazy dog 0123456789".repeat(3).slice(0, KEYS);
    const latencies = [];
    let dropped = 0;
    for (let index = 0; index < typed.length; index++) {
      const prefix = typed.slice(0, index + 1);
      pane.type(typed[index] ?? "");
      try {
        latencies.push(await pane.until((screen) => screen.includes(`› ${prefix}`), `"${prefix}"`, 3000));
      } catch {
        dropped++;
      }
    }
    const elapsed = performance.now() - streamStart;
    const screen = pane.screen();
    const streaming = !screen.includes("token5999");
    const final = screen.includes(`› ${typed}`) ? 0 : 1;
    console.log("Keystroke → screen while the agent streams at 200 tokens/s");
    line("typed character shown in the prompt box", stats(latencies));
    console.log(
      `  dropped keystrokes: ${dropped}${final ? " (the final prompt text is wrong!)" : ""}; ` +
        `${typed.length} typed over ${ms(elapsed)}, agent ${streaming ? "still streaming" : "done"} at the end`,
    );
    pane.send("Escape");
  } finally {
    pane.kill();
  }
}

/** A stored session of `messages` messages (half prompts, half markdown answers) in this directory. */
async function prepareLongSession(messages) {
  const store = await openSqliteStore({ path: storeLocation(env).dbPath, durability: "normal" });
  try {
    const session = await store.create({ cwd: repo, model: MODEL, permissionMode: "ask", title: "long" });
    await store.append(session.id, {
      type: "session_started",
      cwd: repo,
      model: MODEL,
      permissionMode: "ask",
    });
    for (let turn = 1; turn <= messages / 2; turn++) {
      await store.append(session.id, {
        type: "user_message",
        text: `question ${turn}: what does step ${turn} do?`,
      });
      await store.append(session.id, { type: "turn_start", turn, model: MODEL, provider: "anthropic" });
      await store.append(session.id, {
        type: "text_delta",
        text: `Step **${turn}** reads the input.\n\n- it checks \`value${turn}\`\n- it writes the result\n\n\`\`\`js\nconst step${turn} = run(${turn});\n\`\`\`\n\nAnswer ${turn} done.`,
      });
      await store.append(session.id, {
        type: "usage",
        model: MODEL,
        inputTokens: 100,
        outputTokens: 40,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        costUsd: 0.0001,
      });
      await store.append(session.id, { type: "turn_end", turn, stopReason: "end_turn" });
    }
    return session.id;
  } finally {
    await store.close();
  }
}

async function longSession() {
  const messages = 2000;
  const prepared = performance.now();
  await prepareLongSession(messages);
  const prepareMs = performance.now() - prepared;
  const resume = [];
  for (let run = 0; run < Math.max(3, Math.ceil(RUNS / 2)); run++) {
    const started = performance.now();
    const pane = toad(["--continue"]);
    try {
      await pane.until(
        (screen) => screen.includes(PROMPT_BOX) && screen.includes(`Answer ${messages / 2} done.`),
        "the resumed session",
      );
      resume.push(performance.now() - started);
    } finally {
      pane.kill();
    }
  }
  const pane = toad(["--continue"]);
  try {
    await pane.until((screen) => screen.includes(PROMPT_BOX), "the resumed session");
    let started = performance.now();
    pane.send("C-b");
    await pane.until((screen) => screen.includes("4 Metrics"), "the split layout");
    const split = performance.now() - started;
    const pages = [];
    let previous = pane.screen();
    for (let page = 0; page < PAGES; page++) {
      started = performance.now();
      pane.send("PPage");
      const before = previous;
      await pane.until((screen) => screen !== before && /\d+ above/.test(screen), "a scrolled page", 5000);
      pages.push(performance.now() - started);
      previous = pane.screen();
    }
    const position = /(\d+) above · (\d+) below/.exec(previous);
    console.log(`A ${messages}-message session (prepared in ${ms(prepareMs)})`);
    line("toad --continue → history and prompt on screen", stats(resume));
    console.log(`  ${"ctrl+b → full-screen split layout".padEnd(44)} ${ms(split)}`);
    line("PgUp → scrolled screen (split layout)", stats(pages));
    if (position) console.log(`  after ${PAGES} pages: ${position[1]} items above, ${position[2]} below`);
  } finally {
    pane.kill();
  }
}

try {
  console.log(`bench/ui: toad in tmux (${COLUMNS}x${ROWS}), scripted model at ${llm.url}\n`);
  await firstFrame();
  console.log("");
  await keystrokes();
  console.log("");
  await longSession();
} finally {
  await llm.close();
  rmSync(root, { recursive: true, force: true });
}
