import type { AgentEventBody } from "@toad/core";
import { describe, expect, it } from "vitest";
import { type UiFixture, until } from "./fixture.js";
import { appPerTest, KEY } from "./render-app.js";

const startApp = appPerTest();

const CTRL_B = "\u0002";
const PAGE_UP = "\u001b[5~";

/** 300 questions and answers in the store, opened before the app renders, in the split layout. */
async function restoreLongSession(fx: UiFixture): Promise<void> {
  const session = await fx.runner.create({
    cwd: fx.repo,
    model: "claude-sonnet-4-5",
    permissionMode: "ask",
  });
  for (let turn = 1; turn <= 300; turn++) {
    const bodies: AgentEventBody[] = [
      { type: "user_message", text: `question ${turn}` },
      { type: "turn_start", turn, model: "claude-sonnet-4-5", provider: "anthropic" },
      { type: "text_delta", text: `answer ${turn}` },
      { type: "turn_end", turn, stopReason: "end_turn" },
    ];
    for (const body of bodies) await fx.store.append(session.id, body);
  }
  await fx.controller.open(session.id);
  // Split from the start: nothing goes to the scrollback, the frame is the viewport alone.
  fx.ui.dispatch({ type: "set_layout", layout: "split" });
}

describe("the split layout (full screen: the chat beside a panel)", () => {
  it("toggles with ctrl+b and /layout, and /panel picks the panel", async () => {
    const { fx, app } = await startApp([{ content: [{ type: "text", text: "Hello from the model." }] }], {
      "src/a.ts": "export const a = 1;\n",
    });
    await app.type("hi");
    await app.press(KEY.enter);
    await app.waitFor("Hello from the model.");
    await until(() => !fx?.ui.getState().running);
    await app.press(CTRL_B);
    await app.waitFor("4 Metrics");
    expect(fx.ui.getState().layout).toBe("split");
    // The chat takes the left 60 columns, the panel the right 40, on the same rows.
    const rows = app.frame().split("\n");
    expect(rows.find((row) => /model +claude/.test(row))?.indexOf("│ model")).toBe(60);
    // The last such row: the scrollback above the frame holds the focus layout's copy.
    expect([...rows].reverse().find((row) => row.includes("Hello from the model."))).toMatch(
      /^ {2}Hello from the model\. {37}[│╰]/,
    );
    await app.type("/panel files");
    await app.press(KEY.enter);
    await app.waitFor("?? a.ts");
    await app.type("/layout focus");
    await app.press(KEY.enter);
    await until(() => fx?.ui.getState().layout === "focus");
    await until(() => !app.frame().includes("4 Metrics"), 2000, "the panel to go");
  });

  it("scrolls a long restored session page by page, rendering only what fits", async () => {
    const { app } = await startApp([], {}, { before: restoreLongSession });
    await app.waitFor("answer 300");
    expect(app.frame()).not.toContain("answer 290");
    for (let page = 0; page < 5; page++) await app.press(PAGE_UP);
    await until(
      () => /answer 2[0-9]{2}\b/.test(app.frame()) && !app.frame().includes("answer 300"),
      2000,
      "scrolled",
    );
    expect(app.frame()).toMatch(/\d+ above · \d+ below/);
    // G in Agent mode goes back to the end.
    await app.press("\u0007");
    await app.press("G");
    await app.waitFor("answer 300");
  });

  it("/model changes the model of a started session from the next prompt", async () => {
    const { fx, app } = await startApp([
      { content: [{ type: "text", text: "first answer" }] },
      { content: [{ type: "text", text: "second answer" }] },
    ]);
    await app.type("one");
    await app.press(KEY.enter);
    await app.waitFor("first answer");
    await until(() => !fx?.ui.getState().running);
    await app.type("/model claude-opus-4-5");
    await app.press(KEY.enter);
    await app.waitFor("from the next prompt on");
    await app.type("two");
    await app.press(KEY.enter);
    await app.waitFor("second answer");
    const models = fx.llm.requests.map((request) => (request.body as { model?: string }).model);
    expect(models).toEqual(["claude-sonnet-4-5", "claude-opus-4-5"]);
    await app.waitFor("claude-opus-4-5 · ask");
  });
});
