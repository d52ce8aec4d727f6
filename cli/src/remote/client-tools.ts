import {
  type AgentTools,
  type Approver,
  PermissionPolicy,
  type PermissionRules,
  runToolCalls,
} from "@toad/agent";
import type { AgentEventBody, PermissionMode } from "@toad/core";

export interface DelegatedCall {
  callId: string;
  name: string;
  argumentsJson: string;
}

export interface ToolAnswer {
  output: string;
  isError: boolean;
  errorKind?: string;
  durationMs: number;
}

/**
 * Runs one tool call the session delegated to this machine, through the same
 * pipeline as an embedded run: validate, decide by the user's permission mode
 * and rules, ask the approver (the UI) when needed, execute in the local
 * sandbox. Headless runs have no approver: what needs approval is refused.
 */
export async function runDelegatedCall(
  call: DelegatedCall,
  options: {
    tools: AgentTools;
    policy: PermissionPolicy;
    approver: Approver | undefined;
    signal: AbortSignal;
    /** The local pipeline's approval request and decision, for the UI (they are not in the session's log). */
    onApproval?(body: AgentEventBody): void;
  },
): Promise<ToolAnswer> {
  let answer: ToolAnswer = {
    output: "The client did not run this call.",
    isError: true,
    errorKind: "not_run",
    durationMs: 0,
  };
  const record = async (body: AgentEventBody) => {
    if (body.type === "approval_request" || body.type === "approval_decision") options.onApproval?.(body);
    if (body.type !== "tool_result") return;
    answer = {
      output: body.output,
      isError: body.isError,
      ...(body.errorKind !== undefined && { errorKind: body.errorKind }),
      durationMs: body.durationMs,
    };
  };
  const { onApproval: _, ...pipeline } = options;
  await runToolCalls([call], { ...pipeline, record });
  return answer;
}

export function localPolicy(mode: PermissionMode, rules?: PermissionRules): PermissionPolicy {
  return new PermissionPolicy(mode, rules);
}
