import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { UiState } from "../../src/ui/state/types.js";
import { type UiFixture, uiFixture, until } from "./fixture.js";

let fx: UiFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const edit = {
  type: "tool_call" as const,
  name: "edit_file",
  arguments: { path: "a.js", old_string: "a - b", new_string: "a + b" },
};
const pendingApproval = (state: UiState) => state.live.tools.find((card) => card.status === "approval");

describe("SessionController (real runner, store and tools against the scripted model server)", () => {
  it("creates the session on the first prompt and streams the answer into the UI state", async () => {
    fx = await uiFixture([{ content: [{ type: "text", text: "Hello **there**.\n\nSecond paragraph." }] }]);
    expect(await fx.store.list()).toEqual([]);
    fx.controller.submit("hi");
    await fx.controller.idle();
    const state = fx.ui.getState();
    expect(state.items.map((item) => item.kind)).toEqual(["session", "user", "markdown", "markdown"]);
    expect(state.running).toBe(false);
    expect((await fx.store.list()).map((session) => session.id)).toEqual([fx.controller.sessionId]);
  });

  it("asks before an edit and applies it once the person says yes", async () => {
    fx = await uiFixture([{ content: [edit] }, { content: [{ type: "text", text: "Done." }] }], {
      "a.js": "a - b\n",
    });
    const { ui, controller } = fx;
    controller.submit("fix it");
    await until(() => pendingApproval(ui.getState()) !== undefined, 5000, "the approval");
    const card = pendingApproval(ui.getState());
    expect(card?.approval?.diff).toContain("+a + b");
    expect(await readFile(join(fx.repo, "a.js"), "utf8")).toBe("a - b\n");
    controller.approver.answer(card?.approval?.requestId ?? "", { decision: "allow" });
    await controller.idle();
    expect(await readFile(join(fx.repo, "a.js"), "utf8")).toBe("a + b\n");
    expect(ui.getState().items.find((item) => item.kind === "tool")).toMatchObject({ status: "done" });
  });

  it("runs the edited command on edit-then-run, and remembers 'always' for the UI session", async () => {
    const bash = { type: "tool_call" as const, name: "bash", arguments: { command: "echo one > out.txt" } };
    const second = { ...edit, arguments: { path: "b.js", old_string: "x", new_string: "y" } };
    fx = await uiFixture(
      [
        { content: [bash] },
        { content: [edit] },
        { content: [{ type: "text", text: "ok" }] },
        { content: [second] },
        { content: [{ type: "text", text: "ok again" }] },
      ],
      { "a.js": "a - b\n", "b.js": "x\n" },
    );
    const { ui, controller } = fx;
    const answerNext = async (answer: Parameters<typeof controller.approver.answer>[1]) => {
      await until(() => pendingApproval(ui.getState()) !== undefined, 5000, "an approval");
      controller.approver.answer(pendingApproval(ui.getState())?.approval?.requestId ?? "", answer);
      await until(() => pendingApproval(ui.getState()) === undefined, 5000, "the answer");
    };
    controller.submit("go");
    await answerNext({
      decision: "allow",
      editedArgumentsJson: JSON.stringify({ command: "echo two > out.txt" }),
    });
    await answerNext({ decision: "allow_always" });
    await controller.idle();
    // A new run has a new permission policy; the UI remembers the "always" across runs.
    controller.submit("again");
    await controller.idle();
    expect(await readFile(join(fx.repo, "out.txt"), "utf8")).toBe("two\n");
    expect(await readFile(join(fx.repo, "a.js"), "utf8")).toBe("a + b\n");
    // The second run's edit_file call was answered from the remembered "always", without a question.
    expect(await readFile(join(fx.repo, "b.js"), "utf8")).toBe("y\n");
    const decisions = (await fx.store.events(controller.sessionId ?? "")).filter(
      (e) => e.type === "approval_decision",
    );
    expect(decisions.map((event) => event.decision)).toEqual(["allow", "allow_always", "allow_always"]);
  });

  it("interrupts a streaming run at once, denies an open approval, and hands back queued prompts", async () => {
    const long = Array.from({ length: 300 }, (_, i) => `w${i}`).join(" ");
    fx = await uiFixture([{ content: [{ type: "text", text: long }], tokensPerSecond: 100 }]);
    const { ui, controller } = fx;
    controller.submit("talk");
    controller.submit("then this");
    expect(ui.getState().queued).toEqual(["then this"]);
    await until(() => ui.getState().live.text.length > 0, 5000, "streaming");
    const started = Date.now();
    expect(controller.interrupt()).toEqual(["then this"]);
    await controller.idle();
    expect(Date.now() - started).toBeLessThan(1000);
    const state = ui.getState();
    expect(state.running).toBe(false);
    expect(state.queued).toEqual([]);
    expect(state.items.at(-1)).toMatchObject({ kind: "notice", text: "Interrupted." });
    expect(fx.llm.requests).toHaveLength(1);
  });

  it("sends queued prompts in order once the agent is done", async () => {
    fx = await uiFixture([
      { content: [{ type: "text", text: "one" }], tokensPerSecond: 20 },
      { content: [{ type: "text", text: "two" }] },
    ]);
    fx.controller.submit("first");
    fx.controller.submit("second");
    await until(() => fx?.llm.requests.length === 2 && !fx.controller.running, 5000, "both runs");
    const users = fx.ui.getState().items.filter((item) => item.kind === "user");
    expect(users.map((item) => (item.kind === "user" ? item.text : ""))).toEqual(["first", "second"]);
  });

  it("reopens a stored session with its history rendered from the log", async () => {
    fx = await uiFixture([{ content: [{ type: "text", text: "Stored answer." }] }]);
    fx.controller.submit("remember");
    await fx.controller.idle();
    const id = fx.controller.sessionId ?? "";
    const before = fx.ui.getState().items.map((item) => item.kind);
    fx.controller.newSession();
    expect(fx.ui.getState().items).toEqual([]);
    await fx.controller.open(id);
    expect(fx.ui.getState().items.map((item) => item.kind)).toEqual(before);
    expect(fx.controller.sessionId).toBe(id);
  });
});
