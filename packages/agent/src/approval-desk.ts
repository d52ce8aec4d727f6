import type { AgentEventBody, ApprovalKind } from "@toad/core";
import type { ApprovalAnswer, ApprovalQuestion, Approver, ToolEffect } from "./ports.js";

export const APPROVAL_KIND: Record<ToolEffect, ApprovalKind> = {
  read: "other",
  edit: "edit",
  command: "command",
  network: "network",
};

/**
 * Where a run asks its person. Questions from the run's own calls and from
 * the subagents its calls started wait their turn: one question is open at a
 * time, in the order they came, and each one's request and decision are
 * logged together in the run's log. Two subagents asking at the same moment
 * thus reach the person one after the other, never interleaved.
 */
export class ApprovalDesk {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly approver: Approver,
    private readonly record: (body: AgentEventBody) => Promise<void>,
  ) {}

  /** Asks about one of the run's own calls. */
  ask(question: ApprovalQuestion, signal: AbortSignal): Promise<ApprovalAnswer> {
    return this.inTurn(() => this.askNow(question, question.call.callId, signal));
  }

  /**
   * An approver for subagent `name`, started by the run's call `callId`:
   * its questions are shown with its name and logged against that call.
   */
  forSubagent(name: string, callId: string): Approver {
    return {
      ask: (question, signal) =>
        this.inTurn(() => this.askNow({ ...question, subagent: name }, callId, signal)),
    };
  }

  private inTurn<T>(job: () => Promise<T>): Promise<T> {
    const turn = this.queue.then(job);
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async askNow(
    question: ApprovalQuestion,
    loggedCallId: string,
    signal: AbortSignal,
  ): Promise<ApprovalAnswer> {
    const { requestId, preview } = question;
    await this.record({
      type: "approval_request",
      requestId,
      callId: loggedCallId,
      tool: question.call.name,
      kind: question.kind,
      summary: preview.summary,
      ...(preview.diff !== undefined && { diff: preview.diff }),
      ...(preview.command !== undefined && { command: preview.command }),
      ...(question.subagent !== undefined && { subagent: question.subagent }),
    });
    let answer: ApprovalAnswer;
    try {
      // A question that waited its turn past a cancel is not put to the person.
      if (signal.aborted) throw signal.reason;
      answer = await this.approver.ask(question, signal);
    } catch {
      answer = { decision: "deny", reason: "the approval was interrupted" };
    }
    await this.record({
      type: "approval_decision",
      requestId,
      decision: answer.decision,
      decidedBy: "user",
      ...(answer.decision === "deny" && answer.reason !== undefined && { reason: answer.reason }),
      ...(answer.decision !== "deny" &&
        answer.editedArgumentsJson !== undefined && { editedArgumentsJson: answer.editedArgumentsJson }),
    });
    return answer;
  }
}
