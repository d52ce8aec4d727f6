import { readFile } from "node:fs/promises";
import type { ApprovalAnswer, ApprovalQuestion, Approver } from "@toad/agent";
import type { AgentEvent } from "@toad/core";
import { afterEach, describe, expect, it } from "vitest";
import { type Harness, say, startHarness, toolCall } from "./harness.js";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** A person who takes `thinkMs` over each question; counts how many are open at once. */
function person(decide: (question: ApprovalQuestion) => ApprovalAnswer, thinkMs = 0) {
  const asked: ApprovalQuestion[] = [];
  const open = { now: 0, max: 0 };
  const approver: Approver = {
    async ask(question) {
      asked.push(question);
      open.now++;
      open.max = Math.max(open.max, open.now);
      await new Promise((resolve) => setTimeout(resolve, thinkMs));
      open.now--;
      return decide(question);
    },
  };
  return { approver, asked, open };
}

const approvals = (events: AgentEvent[]) =>
  events.filter((e) => e.type === "approval_request" || e.type === "approval_decision");

describe("subagents ask the session's person", () => {
  it("two parallel subagents asking at once are asked one after the other, all logged in the session", async () => {
    harness = await startHarness(
      [
        {
          content: [
            toolCall("task", { agent: "explore", prompt: "Read secrets/a.txt" }),
            toolCall("task", { agent: "explore", prompt: "Read secrets/b.txt" }),
          ],
        },
        {
          label: "A reads",
          match: { lastUserText: "secrets/a.txt" },
          content: [toolCall("read_file", { path: "secrets/a.txt" })],
        },
        {
          label: "B reads",
          match: { lastUserText: "secrets/b.txt" },
          content: [toolCall("read_file", { path: "secrets/b.txt" })],
        },
        { match: { toolResult: "alpha-secret" }, content: [say("a.txt holds alpha-secret.")] },
        { match: { toolResult: "not that one" }, content: [say("I was not allowed to read b.txt.")] },
        { match: { toolResult: "a.txt holds" }, content: [say("Done.")] },
      ],
      { "repo/secrets/a.txt": "alpha-secret\n", "repo/secrets/b.txt": "beta-secret\n" },
      {},
      { ask: ["read_file(secrets/)"] },
    );
    const alice = person(
      (question) =>
        question.call.argumentsJson.includes("a.txt")
          ? { decision: "allow" }
          : { decision: "deny", reason: "not that one" },
      200,
    );
    const run = await harness.run("read both secrets", { mode: "ask", approver: alice.approver });
    expect(run.text).toBe("Done.");

    // Both asked, shown with the subagent's name, never two questions open at once.
    expect(alice.asked.map((q) => [q.subagent, q.call.name])).toEqual([
      ["explore", "read_file"],
      ["explore", "read_file"],
    ]);
    expect(alice.open.max).toBe(1);
    // They did ask at once: the second subagent had its read call before the first question was answered.
    const firstDecision = run.events.find((e) => e.type === "approval_decision");
    const reads = harness.llm.requests.filter((r) => r.answeredBy.label?.endsWith("reads"));
    expect(reads).toHaveLength(2);
    for (const request of reads) expect(request.receivedAt).toBeLessThan(firstDecision?.timestamp ?? 0);

    // In the session's log: each request followed by its decision, against the parent's task calls.
    const taskCalls = run.events.flatMap((e) =>
      e.type === "tool_call_complete" && e.name === "task" ? [e.callId] : [],
    );
    const logged = approvals(run.events);
    expect(logged.map((e) => e.type)).toEqual([
      "approval_request",
      "approval_decision",
      "approval_request",
      "approval_decision",
    ]);
    const [requestA, decisionA, requestB, decisionB] = logged;
    for (const [request, decision] of [
      [requestA, decisionA],
      [requestB, decisionB],
    ]) {
      expect(request).toMatchObject({
        type: "approval_request",
        tool: "read_file",
        kind: "other",
        subagent: "explore",
      });
      expect(decision).toMatchObject({ type: "approval_decision", decidedBy: "user" });
      expect(request?.type === "approval_request" && request.requestId).toBe(
        decision?.type === "approval_decision" && decision.requestId,
      );
      expect(taskCalls).toContain(request?.type === "approval_request" && request.callId);
    }
    expect(
      logged
        .filter((e) => e.type === "approval_decision")
        .map((e) => e.type === "approval_decision" && e.decision)
        .sort(),
    ).toEqual(["allow", "deny"]);

    // Each subagent got its own answer.
    const results = run.events.flatMap((e) => (e.type === "tool_result" ? [e.output] : []));
    expect(results.some((output) => output.startsWith("a.txt holds alpha-secret."))).toBe(true);
    expect(results.some((output) => output.startsWith("I was not allowed to read b.txt."))).toBe(true);
  });

  it("a writing subagent's edit is approved by the person, named, and then made", async () => {
    harness = await startHarness([
      { content: [toolCall("task", { agent: "general", prompt: "Create notes.md saying hi" })] },
      {
        match: { lastUserText: "Create notes.md" },
        content: [toolCall("write_file", { path: "notes.md", content: "hi\n" })],
      },
      { match: { toolResult: "notes.md" }, content: [say("Wrote notes.md.")] },
      { match: { toolResult: "Wrote notes.md." }, content: [say("Done.")] },
    ]);
    const bob = person(() => ({ decision: "allow" }));
    const run = await harness.run("make notes", { mode: "ask", approver: bob.approver });
    expect(run.text).toBe("Done.");
    // First the task call itself (an editing agent), then the subagent's own write.
    expect(bob.asked.map((q) => [q.call.name, q.subagent])).toEqual([
      ["task", undefined],
      ["write_file", "general"],
    ]);
    expect(bob.asked[1]?.preview.diff).toContain("+hi");
    expect(await readFile(`${harness.repo}/notes.md`, "utf8")).toBe("hi\n");
    const requests = approvals(run.events).filter((e) => e.type === "approval_request");
    expect(requests.map((e) => e.type === "approval_request" && [e.tool, e.subagent ?? null])).toEqual([
      ["task", null],
      ["write_file", "general"],
    ]);
  });

  it("with no one to ask (headless), a subagent's call that needs approval is refused with a hint", async () => {
    harness = await startHarness([
      { content: [toolCall("task", { agent: "general", prompt: "Run the build" })] },
      { match: { lastUserText: "Run the build" }, content: [toolCall("bash", { command: "touch built" })] },
      {
        label: "sub reports",
        match: { toolResult: "needs approval" },
        content: [say("I could not run it.")],
      },
      { match: { toolResult: "I could not run it." }, content: [say("Done.")] },
    ]);
    const run = await harness.run("build", { mode: "auto-edit" });
    expect(run.text).toBe("Done.");
    expect(approvals(run.events)).toEqual([]);
    const sub = harness.llm.requests.find((r) => r.answeredBy.label === "sub reports");
    expect(sub?.rawBody).toContain("this run has no one to ask");
  });
});
