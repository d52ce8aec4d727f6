import type { AgentEventBody } from "@toad/core";
import { describe, expect, it } from "vitest";
import { ApprovalDesk } from "../src/approval-desk.js";
import type { ApprovalAnswer, ApprovalQuestion } from "../src/ports.js";

const question = (id: string): ApprovalQuestion => ({
  requestId: id,
  call: { callId: `sub_${id}`, name: "write_file", argumentsJson: "{}" },
  kind: "edit",
  preview: { summary: `write ${id}` },
});

describe("ApprovalDesk", () => {
  it("opens one question at a time, logs request and decision together, and skips a question cancelled while it waited", async () => {
    const log: AgentEventBody[] = [];
    const asked: string[] = [];
    const answers = new Map<string, (answer: ApprovalAnswer) => void>();
    const desk = new ApprovalDesk(
      {
        ask: (q) =>
          new Promise((resolve) => {
            asked.push(q.requestId);
            answers.set(q.requestId, resolve);
          }),
      },
      async (body) => {
        log.push(body);
      },
    );
    const cancelled = new AbortController();
    const first = desk.forSubagent("general", "task_1").ask(question("a"), new AbortController().signal);
    const second = desk.forSubagent("explore", "task_2").ask(question("b"), cancelled.signal);
    const third = desk.ask(question("c"), new AbortController().signal);
    await new Promise((resolve) => setImmediate(resolve));
    expect(asked).toEqual(["a"]);

    cancelled.abort();
    answers.get("a")?.({ decision: "allow" });
    expect(await first).toEqual({ decision: "allow" });
    expect(await second).toEqual({ decision: "deny", reason: "the approval was interrupted" });
    await new Promise((resolve) => setImmediate(resolve));
    expect(asked).toEqual(["a", "c"]);
    answers.get("c")?.({ decision: "deny", reason: "no" });
    expect(await third).toEqual({ decision: "deny", reason: "no" });

    expect(log.map((e) => [e.type, "requestId" in e && e.requestId])).toEqual([
      ["approval_request", "a"],
      ["approval_decision", "a"],
      ["approval_request", "b"],
      ["approval_decision", "b"],
      ["approval_request", "c"],
      ["approval_decision", "c"],
    ]);
    expect(log[0]).toMatchObject({ callId: "task_1", tool: "write_file", subagent: "general" });
    expect(log[2]).toMatchObject({ callId: "task_2", subagent: "explore" });
    expect(log[4]).toMatchObject({ callId: "sub_c" });
    expect(log[4]).not.toHaveProperty("subagent");
  });
});
