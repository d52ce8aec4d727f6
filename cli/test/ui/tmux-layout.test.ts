import { type MockLlmServer, startMockLlm } from "@toad/testkit";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, makeSandbox, type Sandbox, TOAD_BIN } from "../harness.js";
import { commandLine, startPane, type TmuxPane, tmuxAvailable } from "./tmux.js";

/** The full-screen split layout and Agent mode in a real terminal (tmux), on the alternate screen. */
const HAS_TMUX = tmuxAvailable();

let llm: MockLlmServer | undefined;
let box: Sandbox | undefined;
const panes: TmuxPane[] = [];
beforeAll(() => {
  if (HAS_TMUX) assertBuilt();
});
afterEach(async () => {
  for (const pane of panes.splice(0)) pane.kill();
  await llm?.close();
  await box?.cleanup();
  llm = undefined;
  box = undefined;
});

const count = (text: string, part: string) => text.split(part).length - 1;

describe.skipIf(!HAS_TMUX)("the split layout in a terminal (tmux)", () => {
  it("opens full screen beside a panel, selects and expands a card in Agent mode, and comes back with the history once", async () => {
    llm = await startMockLlm({
      script: {
        turns: [
          { content: [{ type: "tool_call", name: "read_file", arguments: { path: "notes.md" } }] },
          { content: [{ type: "text", text: "The notes say hello." }] },
        ],
      },
    });
    box = await makeSandbox({ "notes.md": "first line\nsecond line\n" }, llm.url);
    const pane = startPane(
      commandLine(
        [process.execPath, TOAD_BIN, "--model", "claude-sonnet-4-5"],
        { ...box.env, TERM: "xterm-256color" },
        box.repo,
      ),
      { columns: 110, rows: 30, name: "layout" },
    );
    panes.push(pane);
    await pane.waitFor("ask toad");
    pane.type("read the notes");
    pane.send("Enter");
    await pane.waitFor("The notes say hello.");

    pane.send("C-b");
    await pane.waitFor("4 Metrics");
    const split = pane.screen();
    const row = split.split("\n").find((line) => line.includes("The notes say hello."));
    expect(row).toMatch(/The notes say hello\.\s+[│╰]/);

    pane.send("C-g");
    await pane.waitFor("-- AGENT --");
    pane.send("k");
    pane.send("Enter");
    await pane.waitFor("second line");
    pane.send("Escape");
    await pane.waitFor("ask toad, / for commands");

    pane.send("C-b");
    await pane.waitFor("› read the notes");
    // The history prints item by item: wait for its last one, then give a duplicate time to show.
    await pane.waitFor("The notes say hello.");
    await new Promise((resolve) => setTimeout(resolve, 500));
    const focus = pane.screen();
    expect(focus).not.toContain("4 Metrics");
    expect(count(focus, "The notes say hello.")).toBe(1);
    expect(count(focus, "› read the notes")).toBe(1);
  }, 60_000);
});
