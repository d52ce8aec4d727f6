import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { startMockLlm } from "@toad/testkit";
import { describe, expect, it } from "vitest";
import { makeSandbox, type Sandbox, TOAD_BIN } from "../harness.js";
import { commandLine, startPane, type TmuxPane, tmuxAvailable, tmuxBed } from "./tmux.js";

/**
 * End to end in a real terminal: the built `toad` in tmux, against the
 * scripted model server, in a temp git repository. Keys go in with
 * send-keys, the screen comes back with capture-pane.
 */
const HAS_TMUX = tmuxAvailable();
if (!HAS_TMUX)
  console.warn("skipping the tmux end-to-end tests: tmux is not installed (apt-get install tmux)");

const MODEL = "claude-sonnet-4-5";
const LONG = Array.from({ length: 600 }, (_, i) => `token${i}`).join(" ");

const bed = tmuxBed();

function toad(sandbox: Sandbox, args: string[], name: string, trace?: string): TmuxPane {
  const env = {
    ...sandbox.env,
    TERM: "xterm-256color",
    ...(trace !== undefined && { TOAD_UI_TRACE: trace }),
  };
  const pane = startPane(commandLine([process.execPath, TOAD_BIN, ...args], env, sandbox.repo), {
    columns: 110,
    rows: 36,
    name,
  });
  bed.panes.push(pane);
  return pane;
}

describe.skipIf(!HAS_TMUX)("toad in a terminal (tmux)", () => {
  it("streams an answer, approves an edit with y, interrupts with Esc, exits, and resumes the session", async () => {
    const llm = bed.track(
      await startMockLlm({
        script: {
          turns: [
            {
              content: [
                {
                  type: "text",
                  text: "## Reading\n\nThe bug is in **calc.js**: it subtracts.\n\n```js\nexports.add = (a, b) => a - b;\n```",
                },
              ],
              tokensPerSecond: 200,
            },
            {
              content: [
                {
                  type: "tool_call",
                  name: "edit_file",
                  arguments: { path: "calc.js", old_string: "a - b", new_string: "a + b" },
                },
              ],
            },
            { content: [{ type: "text", text: "Fixed: add() adds now." }] },
            { content: [{ type: "text", text: LONG }], tokensPerSecond: 200 },
          ],
        },
      }),
      (it) => it.close(),
    );
    const box = bed.track(
      await makeSandbox({ "calc.js": "exports.add = (a, b) => a - b;\n" }, llm.url),
      (it) => it.cleanup(),
    );
    const trace = join(box.root, "trace.jsonl");
    const pane = toad(box, ["--model", MODEL], "main", trace);

    await pane.waitFor("ask toad");
    pane.type("where is the bug?");
    pane.send("Enter");
    await pane.waitFor("The bug is in calc.js: it subtracts.");
    await pane.waitFor("│ exports.add = (a, b) => a - b;");

    pane.type("fix it");
    pane.send("Enter");
    await pane.waitFor("Apply this edit?");
    expect(pane.screen()).toContain("+exports.add = (a, b) => a + b;");
    pane.send("y");
    await pane.waitFor("Fixed: add() adds now.");
    expect(await readFile(join(box.repo, "calc.js"), "utf8")).toBe("exports.add = (a, b) => a + b;\n");
    expect(pane.screen()).toContain("✓ edit_file calc.js");

    // Keystrokes while the agent streams at 200 tokens/s: each shows up, none is lost.
    pane.type("talk at length");
    pane.send("Enter");
    await pane.waitFor("token20 ");
    const latencies: number[] = [];
    for (const char of "typed ahead") {
      pane.type(char);
      latencies.push(await pane.waitFor(`› ${"typed ahead".slice(0, latencies.length + 1)}`));
    }
    pane.send("Escape");
    await pane.waitFor("Interrupted.");
    expect(pane.screen()).not.toContain("token599");
    expect(pane.screen()).toContain("› typed ahead");

    pane.send("C-c");
    await pane.waitFor("press ctrl+c again to exit");
    pane.send("C-c");
    await pane.waitFor("EXITED 0");

    const resumed = toad(box, ["--continue"], "resume");
    await resumed.waitFor("ask toad");
    const history = resumed.screen();
    expect(history).toContain("› fix it");
    expect(history).toContain("Fixed: add() adds now.");
    expect(history).toContain("✓ edit_file calc.js");

    const records = (await readFile(trace, "utf8"))
      .trim()
      .split("\n")
      .map(
        (line) =>
          JSON.parse(line) as { event: string; sinceStartMs?: number; renders?: number; renderMs?: number },
      );
    const first = records.find((record) => record.event === "first_frame");
    const exit = records.find((record) => record.event === "exit");
    latencies.sort((a, b) => a - b);
    console.log(
      `tmux e2e: first frame ${first?.sinceStartMs} ms after process start; ` +
        `keystroke→screen while streaming at 200 tok/s: median ${latencies[Math.floor(latencies.length / 2)]?.toFixed(0)} ms, ` +
        `max ${latencies.at(-1)?.toFixed(0)} ms (tmux polling included); ` +
        `${exit?.renders} renders, ${exit?.renderMs} ms rendering in total`,
    );
    expect(first?.sinceStartMs).toBeGreaterThan(0);
  }, 60_000);
});
