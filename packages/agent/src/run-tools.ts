import { randomUUID } from "node:crypto";
import type { AgentEventBody, ApprovalKind } from "@toad/core";
import type { PermissionPolicy } from "./permissions.js";
import type { AgentTools, Approver, ToolCall, ToolEffect, ToolOutcome } from "./ports.js";

export interface ToolRunContext {
  tools: AgentTools;
  policy: PermissionPolicy;
  /** Absent in headless runs: a call that needs approval is then refused with a hint. */
  approver: Approver | undefined;
  record: (body: AgentEventBody) => Promise<void>;
  signal: AbortSignal;
}

const APPROVAL_KIND: Record<ToolEffect, ApprovalKind> = {
  read: "other",
  edit: "edit",
  command: "command",
  network: "network",
};

/**
 * Runs one turn's tool calls: consecutive read-only calls concurrently, every
 * write or command alone and in order, so effects happen in the order the
 * model asked for them. Every call ends with exactly one `tool_result`.
 */
export async function runToolCalls(calls: ToolCall[], ctx: ToolRunContext): Promise<void> {
  for (const batch of batchByEffect(calls, ctx.tools)) {
    await Promise.all(batch.map((call) => runToolCall(call, ctx)));
  }
}

function batchByEffect(calls: ToolCall[], tools: AgentTools): ToolCall[][] {
  const batches: ToolCall[][] = [];
  let reads: ToolCall[] = [];
  for (const call of calls) {
    if (tools.effectOf(call.name) === "read") {
      reads.push(call);
      continue;
    }
    if (reads.length > 0) batches.push(reads);
    reads = [];
    batches.push([call]);
  }
  if (reads.length > 0) batches.push(reads);
  return batches;
}

async function runToolCall(original: ToolCall, ctx: ToolRunContext): Promise<void> {
  const started = Date.now();
  const finish = (call: ToolCall, outcome: ToolOutcome) =>
    ctx.record({
      type: "tool_result",
      callId: call.callId,
      name: call.name,
      output: outcome.ok ? outcome.output : outcome.message,
      isError: !outcome.ok,
      ...(outcome.ok ? {} : { errorKind: outcome.errorKind }),
      durationMs: Date.now() - started,
    });

  if (ctx.signal.aborted) return finish(original, cancelled());
  const effect = ctx.tools.effectOf(original.name);
  if (effect === undefined) {
    const names = ctx.tools
      .specs()
      .map((spec) => spec.name)
      .join(", ");
    return finish(original, {
      ok: false,
      errorKind: "unknown_tool",
      message: `There is no tool named "${original.name}". Available tools: ${names}.`,
    });
  }

  const permitted = await obtainPermission(original, effect, ctx);
  if ("refusal" in permitted) return finish(original, permitted.refusal);
  if (ctx.signal.aborted) return finish(permitted.call, cancelled());
  return finish(permitted.call, await ctx.tools.execute(permitted.call, ctx.signal));
}

type Permission = { call: ToolCall } | { refusal: ToolOutcome };

async function obtainPermission(
  call: ToolCall,
  effect: ToolEffect,
  ctx: ToolRunContext,
): Promise<Permission> {
  const verdict = ctx.policy.decide(call, effect);
  if (verdict.action === "allow") return { call };
  if (verdict.action === "deny")
    return { refusal: { ok: false, errorKind: "denied", message: verdict.reason } };

  const preview = await ctx.tools.preview(call, ctx.signal);
  if ("error" in preview) return { refusal: preview.error };
  if (!ctx.approver) {
    return {
      refusal: {
        ok: false,
        errorKind: "denied",
        message:
          `"${call.name}" needs approval in permission mode "${ctx.policy.permissionMode}" and this run has no one to ask. ` +
          "Rerun with --permission-mode auto-edit or full-auto, or add an allow rule.",
      },
    };
  }

  const requestId = `apr_${randomUUID()}`;
  await ctx.record({
    type: "approval_request",
    requestId,
    callId: call.callId,
    tool: call.name,
    kind: APPROVAL_KIND[effect],
    summary: preview.summary,
    ...(preview.diff !== undefined && { diff: preview.diff }),
    ...(preview.command !== undefined && { command: preview.command }),
  });
  let answer: Awaited<ReturnType<Approver["ask"]>>;
  try {
    answer = await ctx.approver.ask({ requestId, call, kind: APPROVAL_KIND[effect], preview }, ctx.signal);
  } catch {
    answer = { decision: "deny", reason: "the approval was interrupted" };
  }
  await ctx.record({
    type: "approval_decision",
    requestId,
    decision: answer.decision,
    decidedBy: "user",
    ...(answer.decision === "deny" && answer.reason !== undefined && { reason: answer.reason }),
    ...(answer.decision !== "deny" &&
      answer.editedArgumentsJson !== undefined && { editedArgumentsJson: answer.editedArgumentsJson }),
  });
  if (answer.decision === "deny") {
    const why = answer.reason ? `: ${answer.reason}` : "";
    return { refusal: { ok: false, errorKind: "denied", message: `The user declined this call${why}.` } };
  }
  if (answer.decision === "allow_always") ctx.policy.grantAlways(call, effect);
  return { call: answer.editedArgumentsJson ? { ...call, argumentsJson: answer.editedArgumentsJson } : call };
}

function cancelled(): ToolOutcome {
  return { ok: false, errorKind: "cancelled", message: "The run was cancelled before this call finished." };
}
