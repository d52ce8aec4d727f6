import type { ApprovalAnswer, ApprovalQuestion, Approver } from "@toad/agent";

/**
 * The `Approver` the UI hands the agent loop: `ask` waits until the person
 * answers through `answer(requestId, …)`. The question itself is already on
 * screen: its `approval_request` event went through the event stream first.
 * "Always" answers are remembered for the whole UI session (the loop's own
 * grant lasts one run only), with the loop's rule: the tool, and for
 * commands their first two words.
 */
export class UiApprover implements Approver {
  private readonly waiting = new Map<string, (answer: ApprovalAnswer) => void>();
  /** Answers given before `ask` was reached (a fast key after the event). */
  private readonly early = new Map<string, ApprovalAnswer>();
  private readonly grants = new Set<string>();

  ask(question: ApprovalQuestion, signal: AbortSignal): Promise<ApprovalAnswer> {
    if (this.grants.has(grantKey(question))) return Promise.resolve({ decision: "allow_always" });
    const early = this.early.get(question.requestId);
    if (early) {
      this.early.delete(question.requestId);
      return Promise.resolve(this.remember(question, early));
    }
    return new Promise((resolve) => {
      const onAbort = () => {
        this.waiting.delete(question.requestId);
        resolve({ decision: "deny", reason: "the user interrupted the run" });
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener("abort", onAbort, { once: true });
      this.waiting.set(question.requestId, (answer) => {
        signal.removeEventListener("abort", onAbort);
        resolve(this.remember(question, answer));
      });
    });
  }

  /** Delivers the person's answer; returns false when no such question is open. */
  answer(requestId: string, answer: ApprovalAnswer): boolean {
    const resolve = this.waiting.get(requestId);
    if (!resolve) {
      this.early.set(requestId, answer);
      return false;
    }
    this.waiting.delete(requestId);
    resolve(answer);
    return true;
  }

  /** Forgets every "always" answer (a new session starts with none). */
  reset(): void {
    this.grants.clear();
    this.early.clear();
  }

  private remember(question: ApprovalQuestion, answer: ApprovalAnswer): ApprovalAnswer {
    if (answer.decision === "allow_always") this.grants.add(grantKey(question));
    return answer;
  }
}

function grantKey(question: ApprovalQuestion): string {
  if (question.kind !== "command") return question.call.name;
  const command = question.preview.command ?? "";
  return `${question.call.name}(${command.trim().split(/\s+/).slice(0, 2).join(" ")})`;
}
