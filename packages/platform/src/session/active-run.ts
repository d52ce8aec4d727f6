import type { ApprovalAnswer, ApprovalQuestion, Approver, ToolOutcome } from "@toad/agent";
import type { DelegatedCall, RunCommand, RunReply } from "../bus/port.js";

interface PendingCall {
  call: DelegatedCall;
  resolve(outcome: ToolOutcome): void;
}

/**
 * One run of the agent on this replica: its cancel switch, the approvals it
 * waits for and the tool calls it delegated to the client. Commands reach it
 * from any replica through the bus.
 */
export class ActiveRun {
  private readonly controller = new AbortController();
  private readonly approvals = new Map<string, (answer: ApprovalAnswer) => void>();
  private readonly calls = new Map<string, PendingCall>();

  constructor(
    readonly sessionId: string,
    /** Told about each call delegated to the client, to send it down the streams. */
    private readonly onDelegate: (call: DelegatedCall) => void,
  ) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  private shutdown = false;

  cancel(): void {
    this.controller.abort();
  }

  /** Stops the run because this replica is going away: it is left recorded, for another replica to continue. */
  stopForShutdown(): void {
    this.shutdown = true;
    this.controller.abort();
  }

  get stoppedForShutdown(): boolean {
    return this.shutdown;
  }

  get state(): "running" | "awaiting_approval" {
    return this.approvals.size > 0 ? "awaiting_approval" : "running";
  }

  /** Approvals are answered with the Approve RPC. */
  readonly approver: Approver = {
    ask: (question: ApprovalQuestion, signal: AbortSignal) =>
      new Promise<ApprovalAnswer>((resolve, reject) => {
        const onAbort = () => {
          this.approvals.delete(question.requestId);
          reject(new Error("the run was cancelled while waiting for approval"));
        };
        if (signal.aborted) return onAbort();
        signal.addEventListener("abort", onAbort, { once: true });
        this.approvals.set(question.requestId, (answer) => {
          signal.removeEventListener("abort", onAbort);
          this.approvals.delete(question.requestId);
          resolve(answer);
        });
      }),
  };

  /** Hands a call to the client and waits for `SubmitToolResult` (or cancellation, or the timeout). */
  delegate(call: DelegatedCall, signal: AbortSignal, timeoutMs: number): Promise<ToolOutcome> {
    return new Promise<ToolOutcome>((resolve) => {
      const finish = (outcome: ToolOutcome) => {
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        this.calls.delete(call.callId);
        resolve(outcome);
      };
      const onAbort = () =>
        finish({
          ok: false,
          errorKind: "cancelled",
          message: "The run was cancelled before the client answered.",
        });
      const timer = setTimeout(
        () =>
          finish({
            ok: false,
            errorKind: "timeout",
            message: `The client did not answer this tool call within ${Math.round(timeoutMs / 1000)} s.`,
          }),
        timeoutMs,
      );
      if (signal.aborted) return onAbort();
      signal.addEventListener("abort", onAbort, { once: true });
      this.calls.set(call.callId, { call, resolve: finish });
      this.onDelegate(call);
    });
  }

  handle(command: RunCommand): RunReply {
    switch (command.type) {
      case "status":
        return this.status();
      case "cancel":
        this.cancel();
        return this.status();
      case "approve": {
        const answer = this.approvals.get(command.requestId);
        if (!answer) return notFound(`no approval request ${command.requestId} is waiting in this session`);
        answer(
          command.decision === "deny"
            ? { decision: "deny", ...(command.reason !== undefined && { reason: command.reason }) }
            : {
                decision: command.decision,
                ...(command.editedArgumentsJson !== undefined && {
                  editedArgumentsJson: command.editedArgumentsJson,
                }),
              },
        );
        return this.status();
      }
      case "tool_result": {
        const pending = this.calls.get(command.callId);
        if (!pending)
          return notFound(`no tool call ${command.callId} is waiting for a result in this session`);
        pending.resolve(
          command.isError
            ? { ok: false, errorKind: command.errorKind ?? "tool_error", message: command.output }
            : { ok: true, output: command.output },
        );
        return this.status();
      }
    }
  }

  private status(): RunReply {
    return {
      ok: true,
      state: this.state,
      pendingCalls: [...this.calls.values()].map((pending) => pending.call),
    };
  }
}

function notFound(message: string): RunReply {
  return { ok: false, code: "not_found", message };
}
