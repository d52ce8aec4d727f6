import type { AgentContext, PermissionOption, ToolCallContent } from "@agentclientprotocol/sdk";
import type { ApprovalAnswer, Approver } from "@toad/agent";
import { diffsFromUnified } from "./diff.js";
import { parseArgs, toolDisplay } from "./tool-display.js";

export const PERMISSION_OPTIONS: PermissionOption[] = [
  { optionId: "allow-once", name: "Allow", kind: "allow_once" },
  { optionId: "allow-always", name: "Always allow", kind: "allow_always" },
  { optionId: "reject-once", name: "Reject", kind: "reject_once" },
];

const ANSWERS: Record<string, ApprovalAnswer> = {
  "allow-once": { decision: "allow" },
  "allow-always": { decision: "allow_always" },
  "reject-once": { decision: "deny" },
};

/**
 * TOAD's approvals as ACP permission requests: the editor shows the call
 * (with its diff or command) and the person picks an option. A cancelled
 * prompt stops the wait at once and counts as a refusal.
 */
export function acpApprover(client: AgentContext, sessionId: string, workspaceRoot: string): Approver {
  return {
    async ask(question, signal) {
      const { call, preview } = question;
      const display = toolDisplay(call.name, parseArgs(call.argumentsJson), workspaceRoot);
      const content: ToolCallContent[] = [];
      if (preview.diff !== undefined) {
        const diffs = await diffsFromUnified(preview.diff, workspaceRoot);
        if (diffs.length > 0) content.push(...diffs.map((diff) => ({ type: "diff" as const, ...diff })));
        else content.push(text(`\`\`\`diff\n${preview.diff}\n\`\`\``));
      }
      if (preview.command !== undefined) content.push(text(`\`\`\`sh\n${preview.command}\n\`\`\``));
      try {
        const response = await client.request(
          "session/request_permission",
          {
            sessionId,
            toolCall: {
              toolCallId: call.callId,
              title: preview.summary || display.title,
              kind: display.kind,
              status: "pending",
              content,
              locations: display.locations,
              rawInput: parseArgs(call.argumentsJson),
            },
            options: PERMISSION_OPTIONS,
          },
          { cancellationSignal: signal, stopWaitingOnCancel: true },
        );
        if (response.outcome.outcome === "cancelled")
          return { decision: "deny", reason: "the prompt was cancelled" };
        return (
          ANSWERS[response.outcome.optionId] ?? {
            decision: "deny",
            reason: `unknown permission option "${response.outcome.optionId}"`,
          }
        );
      } catch (error) {
        if (signal.aborted) return { decision: "deny", reason: "the prompt was cancelled" };
        const message = error instanceof Error ? error.message : String(error);
        return { decision: "deny", reason: `the editor did not answer the permission request (${message})` };
      }
    },
  };
}

function text(value: string): ToolCallContent {
  return { type: "content", content: { type: "text", text: value } };
}
