import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { until } from "./fixture.js";
import { appPerTest, KEY } from "./render-app.js";

const startApp = appPerTest();

const count = (text: string, part: string) => text.split(part).length - 1;

describe("the interactive UI (ink-testing-library frames, real session stack)", () => {
  it("sends a prompt and renders the streamed markdown answer once, with the status line", async () => {
    const { fx, app } = await startApp([
      {
        content: [
          {
            type: "text",
            text: "## Plan\n\n- read the code\n- fix **the bug**\n\n```js\nconst ok = true;\n```\n\nAll done.",
          },
        ],
        usage: { inputTokens: 1200, outputTokens: 80, cacheReadTokens: 800, cacheWriteTokens: 0 },
      },
    ]);
    expect(app.frame()).toContain("claude-sonnet-4-5 · ask · $0.00");
    await app.type("what now?");
    expect(app.frame()).toContain("› what now?");
    await app.press(KEY.enter);
    await app.waitFor("All done.");
    await until(() => !fx?.ui.getState().running);
    await app.waitFor("ctx 2.1k/200k (1%)");
    const screen = app.frame();
    expect(count(screen, "Plan")).toBe(1);
    expect(screen).toContain("• read the code");
    expect(screen).toContain("• fix the bug");
    expect(screen).toContain("│ const ok = true;");
    expect(screen.indexOf("› what now?")).toBeLessThan(screen.indexOf("Plan"));
  });

  it("shows a pending edit as a diff, applies it on y, and shows the finished tool card", async () => {
    const { fx, app } = await startApp(
      [
        {
          content: [
            {
              type: "tool_call",
              name: "edit_file",
              arguments: { path: "a.js", old_string: "a - b", new_string: "a + b" },
            },
          ],
        },
        { content: [{ type: "text", text: "Fixed." }] },
      ],
      { "a.js": "module.exports = (a, b) => a - b;\n" },
    );
    await app.type("fix a.js");
    await app.press(KEY.enter);
    await app.waitFor("Apply this edit?");
    const prompt = app.frame();
    expect(prompt).toContain("-module.exports = (a, b) => a - b;");
    expect(prompt).toContain("+module.exports = (a, b) => a + b;");
    expect(prompt).toContain("y yes");
    expect(prompt).toContain("e edit then run");
    await app.press("y");
    await app.waitFor("Fixed.");
    expect(await readFile(join(fx.repo, "a.js"), "utf8")).toBe("module.exports = (a, b) => a + b;\n");
    expect(app.frame()).toContain("✓ edit_file a.js");
    expect(app.frame()).not.toContain("Apply this edit?");
  });

  it("runs a command edited with e, and refuses with n", async () => {
    const { fx, app } = await startApp([
      { content: [{ type: "tool_call", name: "bash", arguments: { command: "echo one > out.txt" } }] },
      { content: [{ type: "tool_call", name: "bash", arguments: { command: "rm out.txt" } }] },
      { content: [{ type: "text", text: "Stopped." }] },
    ]);
    await app.type("go");
    await app.press(KEY.enter);
    await app.waitFor("Run this command?");
    expect(app.frame()).toContain("$ echo one > out.txt");
    await app.press("e");
    await app.waitFor("Edit the command");
    for (let i = 0; i < "one > out.txt".length; i++) await app.press("\u007f");
    await app.type("two > out.txt");
    await app.press(KEY.enter);
    await app.waitFor("$ rm out.txt");
    await app.press("n");
    await app.waitFor("Stopped.");
    expect(await readFile(join(fx.repo, "out.txt"), "utf8")).toBe("two\n");
    expect(app.frame()).toContain("⊘ bash rm out.txt");
  });

  it("interrupts with Esc and keeps what was typed while the agent streamed", async () => {
    const long = Array.from({ length: 400 }, (_, i) => `word${i}`).join(" ");
    const { fx, app } = await startApp([{ content: [{ type: "text", text: long }], tokensPerSecond: 100 }]);
    await app.type("talk");
    await app.press(KEY.enter);
    await app.waitFor("word3");
    await app.type("next question");
    expect(app.frame()).toContain("› next question");
    await app.press(KEY.esc);
    await app.waitFor("Interrupted.");
    expect(fx.ui.getState().running).toBe(false);
    expect(app.frame()).toContain("› next question");
    expect(app.frame()).not.toContain("word399");
  });

  it("queues a prompt sent while the agent works and sends it afterwards", async () => {
    const { app } = await startApp([
      { content: [{ type: "text", text: "first answer" }], tokensPerSecond: 10 },
      { content: [{ type: "text", text: "second answer" }] },
    ]);
    await app.type("one");
    await app.press(KEY.enter);
    await app.type("two");
    await app.press(KEY.enter);
    await app.waitFor("queued: two");
    await app.waitFor("second answer");
    expect(app.frame()).not.toContain("queued: two");
  });

  it("keeps a bracketed paste literal, and takes a line break in a typed chunk as Enter", async () => {
    const { fx, app } = await startApp([
      { content: [{ type: "text", text: "first reply" }] },
      { content: [{ type: "text", text: "second reply" }] },
    ]);
    await app.press("\u001b[200~line one\rline two\u001b[201~");
    expect(fx.ui.getState().items).toEqual([]);
    await app.press(KEY.enter);
    await app.waitFor("first reply");
    expect(fx.ui.getState().items.find((item) => item.kind === "user")).toMatchObject({
      text: "line one\nline two",
    });
    await app.press("typed before start\n");
    await app.waitFor("second reply");
  });

  it("completes / commands with tab and runs them", async () => {
    const { app } = await startApp([]);
    await app.type("/co");
    await app.waitFor("/cost");
    expect(app.frame()).toContain("/compact");
    await app.press(KEY.down);
    await app.press(KEY.up);
    await app.press(KEY.tab);
    expect(app.frame()).toContain("› /cost");
    await app.press(KEY.enter);
    await app.waitFor("Cost: $0.00 over 0 requests");
  });

  it("attaches an @-mentioned file picked from the fuzzy list", async () => {
    const { fx, app } = await startApp([{ content: [{ type: "text", text: "Seen it." }] }], {
      "src/calc.js": "exports.add = 1;\n",
      "README.md": "hi\n",
    });
    await app.type("explain @calc");
    await app.waitFor("@src/calc.js");
    await app.press(KEY.tab);
    expect(app.frame()).toContain("› explain @src/calc.js");
    await app.press(KEY.enter);
    await app.waitFor("Seen it.");
    expect(app.frame()).toContain("attached: src/calc.js");
    expect(JSON.stringify(fx.llm.requests[0]?.body)).toContain("exports.add = 1;");
  });

  it("expands tool results and thinking with ctrl+o, printing the history again", async () => {
    const { app } = await startApp(
      [
        {
          content: [
            { type: "thinking", text: "The file is small." },
            { type: "tool_call", name: "read_file", arguments: { path: "notes.txt" } },
          ],
        },
        { content: [{ type: "text", text: "It lists three things." }] },
      ],
      { "notes.txt": "alpha\nbeta\ngamma\n" },
    );
    await app.type("read notes");
    await app.press(KEY.enter);
    await app.waitFor("It lists three things.");
    expect(app.frame()).toContain("✓ read_file notes.txt");
    expect(app.frame()).toContain("Thought for");
    expect(app.frame()).not.toContain("gamma");
    await app.press(KEY.ctrlO);
    await app.waitFor("gamma");
    expect(app.frame()).toContain("The file is small.");
  });

  it("opens the command palette with ctrl+p and runs the fuzzy match", async () => {
    const { app } = await startApp([]);
    await app.press(KEY.ctrlP);
    await app.waitFor("type to search commands");
    await app.type("tokens cost");
    await app.waitFor("› /cost");
    await app.press(KEY.enter);
    await app.waitFor("Cost: $0.00");
    expect(app.frame()).not.toContain("type to search commands");
  });

  it("restores a session picked with /resume, its history rendered", async () => {
    const { fx, app } = await startApp([{ content: [{ type: "text", text: "The answer is 42." }] }]);
    await app.type("what is the answer?");
    await app.press(KEY.enter);
    await app.waitFor("The answer is 42.");
    await until(() => !fx?.ui.getState().running);
    await app.type("/clear");
    await app.press(KEY.enter);
    await until(() => fx?.ui.getState().items.length === 0);
    await app.type("/resume");
    await app.press(KEY.enter);
    await app.waitFor("Resume a session");
    await app.waitFor("› what is the answer?");
    await app.press(KEY.enter);
    await until(() => (fx?.ui.getState().items.length ?? 0) > 0);
    const kinds = fx.ui.getState().items.map((item) => item.kind);
    expect(kinds).toEqual(["session", "user", "markdown"]);
    expect(app.frame()).not.toContain("Resume a session");
  });

  it("compacts with /compact in place: the same session continues from the summary, the chat keeps its history", async () => {
    const { fx, app } = await startApp(
      [
        { content: [{ type: "text", text: "We changed calc.js." }] },
        { content: [{ type: "text", text: "The user asked about calc.js; it was changed." }] },
        { content: [{ type: "text", text: "Continuing." }] },
      ],
      {},
      { compact: true },
    );
    await app.type("change calc");
    await app.press(KEY.enter);
    await app.waitFor("We changed calc.js.");
    await until(() => !fx?.ui.getState().running);
    const first = fx.controller.sessionId;
    await app.type("/compact");
    await app.press(KEY.enter);
    await app.waitFor("Compacted");
    expect(fx.controller.sessionId).toBe(first);
    expect(app.frame()).toContain("Summary of the earlier conversation");
    expect(app.frame()).toContain("We changed calc.js.");
    await app.type("go on");
    await app.press(KEY.enter);
    await app.waitFor("Continuing.");
    const sent = JSON.stringify(fx.llm.requests[2]?.body);
    expect(sent).toContain("The user asked about calc.js; it was changed.");
    expect(sent).not.toContain("We changed calc.js.");
    // The log keeps everything, the summary request's cost included.
    const log = await fx.store.events(first ?? "");
    expect(log.filter((event) => event.type === "usage")).toHaveLength(3);
    const streamed = log.map((event) => (event.type === "text_delta" ? event.text : "")).join("");
    expect(streamed).toContain("We changed calc.js.");
  });

  it("edits the prompt with opt-in vim keys and runs :ai prompts", async () => {
    const { fx, app } = await startApp([
      { content: [{ type: "text", text: "reply one" }] },
      { content: [{ type: "text", text: "reply two" }] },
    ]);
    await app.type("/vim");
    await app.press(KEY.enter);
    await app.waitFor("Vim keys on");
    await app.waitFor("-- INSERT --");
    await app.type("hello world");
    await app.press(KEY.esc);
    await app.waitFor("-- NORMAL --");
    await app.type("bD");
    await app.type("Athere");
    await app.press(KEY.enter);
    await app.waitFor("reply one");
    expect(fx.ui.getState().items.find((item) => item.kind === "user")).toMatchObject({
      text: "hello there",
    });
    await app.press(KEY.esc);
    await app.type(":ai summarise");
    await app.press(KEY.enter);
    await app.waitFor("reply two");
    await app.press(KEY.esc);
    await app.type(":q");
    await app.press(KEY.enter);
    expect(app.exits).toHaveLength(1);
  });

  it("asks for a second ctrl+c before exiting", async () => {
    const { app } = await startApp([]);
    await app.press(KEY.ctrlC);
    await app.waitFor("press ctrl+c again to exit");
    expect(app.exits).toEqual([]);
    await app.press(KEY.ctrlC);
    expect(app.exits).toHaveLength(1);
  });
});
