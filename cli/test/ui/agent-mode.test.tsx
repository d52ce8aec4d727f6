import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { until } from "./fixture.js";
import { appPerTest, KEY } from "./render-app.js";

const startApp = appPerTest();

const CTRL_G = "\u0007";
/** Waits on the model's turns: generous, the machine may be busy. */
const SLOW = 15_000;
const EDIT = (from: string, to: string) => ({
  content: [
    {
      type: "tool_call" as const,
      name: "edit_file",
      arguments: { path: "a.js", old_string: from, new_string: to },
    },
  ],
});

describe("Agent mode (ctrl+g): keys act on the conversation", () => {
  it("accepts a proposed edit with a and dismisses the next with d", async () => {
    const { fx, app } = await startApp(
      [EDIT("a - b", "a + b"), EDIT("a + b", "a * b"), { content: [{ type: "text", text: "Done." }] }],
      { "a.js": "module.exports = (a, b) => a - b;\n" },
    );
    await app.type("fix a.js");
    await app.press(KEY.enter);
    await app.waitFor("Apply this edit?", SLOW);
    await app.press(CTRL_G);
    await app.waitFor("-- AGENT --");
    // Agent mode's own keys for the proposal.
    expect(app.frame()).toContain("a accept");
    expect(app.frame()).toContain("d dismiss");
    // y/n still work, but `a` here accepts once (not "always").
    await app.press("a");
    await app.waitFor("+module.exports = (a, b) => a * b;", SLOW);
    expect(await readFile(join(fx.repo, "a.js"), "utf8")).toBe("module.exports = (a, b) => a + b;\n");
    await app.press("d");
    await app.waitFor("Done.", SLOW);
    expect(await readFile(join(fx.repo, "a.js"), "utf8")).toBe("module.exports = (a, b) => a + b;\n");
    const cards = fx.ui.getState().items.filter((item) => item.kind === "tool");
    expect(cards.map((card) => card.kind === "tool" && card.approval?.decision)).toEqual(["allow", "deny"]);
  });

  it("edits a proposed edit with e before it runs", async () => {
    const { fx, app } = await startApp(
      [EDIT("a - b", "a + b"), { content: [{ type: "text", text: "Done." }] }],
      {
        "a.js": "module.exports = (a, b) => a - b;\n",
      },
    );
    await app.press(CTRL_G);
    await app.waitFor("-- AGENT --");
    await app.press(":");
    await app.waitFor("-- COMMAND --");
    await app.type("ai fix a.js");
    await app.press(KEY.enter);
    await app.waitFor("Apply this edit?", SLOW);
    await app.press(CTRL_G);
    await app.press("e");
    await app.waitFor("Edit the arguments (JSON)");
    // The arguments end with `a + b"` and a closing brace line: step back to just after the + and change it.
    for (let step = 0; step < 5; step++) await app.press(KEY.left);
    await app.press("\u007f");
    await app.type("%");
    await app.press(KEY.enter);
    await app.waitFor("Done.", SLOW);
    expect(await readFile(join(fx.repo, "a.js"), "utf8")).toBe("module.exports = (a, b) => a % b;\n");
    // The prompt came from the `:ai` command line, typed without vim keys.
    expect(fx.ui.getState().items.find((item) => item.kind === "user")).toMatchObject({ text: "fix a.js" });
  });

  it("moves the selection with j/k between messages and cards, and expands a card with enter", async () => {
    const { fx, app } = await startApp(
      [
        { content: [{ type: "tool_call", name: "read_file", arguments: { path: "a.js" } }] },
        { content: [{ type: "text", text: "It subtracts." }] },
      ],
      { "a.js": "line one\nline two\nline three\n" },
    );
    await app.type("read a.js");
    await app.press(KEY.enter);
    await app.waitFor("It subtracts.", SLOW);
    await until(() => !fx?.ui.getState().running);
    expect(app.frame()).not.toContain("line two");
    await app.press(CTRL_G);
    await app.waitFor("-- AGENT --");
    const items = fx.ui.getState().items;
    const card = items.findIndex((item) => item.kind === "tool");
    expect(fx.ui.getState().selected).toBe(items.length - 1);
    await app.press("k");
    expect(fx.ui.getState().selected).toBe(items.length - 2);
    while ((fx.ui.getState().selected ?? 0) > card) await app.press("k");
    expect(fx.ui.getState().selected).toBe(card);
    await app.press(KEY.enter);
    await app.waitFor("line two");
    expect(app.frame()).toMatch(/▌ ✓ read_file a\.js/);
    await app.press(KEY.enter);
    await until(() => !app.frame().includes("line two"), 2000, "the card to collapse");
    await app.press("j");
    expect(fx.ui.getState().selected).toBe(card + 1);
    // i goes back to the prompt, which takes typing again.
    await app.press("i");
    await app.type("next");
    expect(app.frame()).toContain("› next");
    expect(fx.ui.getState().agentMode).toBe(false);
  });
});
