import { startMockLlm } from "@toad/testkit";
import { describe, expect, it } from "vitest";
import { makeSandbox, TOAD_BIN } from "../harness.js";
import { commandLine, startPane, tmuxAvailable, tmuxBed } from "./tmux.js";

/** The full-screen split layout and Agent mode in a real terminal (tmux), on the alternate screen. */
const HAS_TMUX = tmuxAvailable();

const bed = tmuxBed();

const count = (text: string, part: string) => text.split(part).length - 1;

describe.skipIf(!HAS_TMUX)("the split layout in a terminal (tmux)", () => {
  it("opens full screen beside a panel, selects and expands a card in Agent mode, and comes back with the history once", async () => {
    const llm = bed.track(
      await startMockLlm({
        script: {
          turns: [
            { content: [{ type: "tool_call", name: "read_file", arguments: { path: "notes.md" } }] },
            { content: [{ type: "text", text: "The notes say hello." }] },
          ],
        },
      }),
      (it) => it.close(),
    );
    const box = bed.track(await makeSandbox({ "notes.md": "first line\nsecond line\n" }, llm.url), (it) =>
      it.cleanup(),
    );
    const pane = startPane(
      commandLine(
        [process.execPath, TOAD_BIN, "--model", "claude-sonnet-4-5"],
        { ...box.env, TERM: "xterm-256color" },
        box.repo,
      ),
      { columns: 110, rows: 30, name: "layout" },
    );
    bed.panes.push(pane);
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
