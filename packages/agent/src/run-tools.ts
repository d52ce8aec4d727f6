import { randomUUID } from "node:crypto";
import type { AgentEventBody } from "@toad/core";
import { APPROVAL_KIND, ApprovalDesk } from "./approval-desk.js";
import { type AgentHooks, formatHookContext, recordHookFailures } from "./hooks.js";
import type { PermissionPolicy } from "./permissions.js";
import type {
  AgentTools,
  Approver,
  PreparedToolCall,
  ToolCall,
  ToolOutcome,
  ToolRunServices,
} from "./ports.js";

export interface ToolRunContext {
  tools: AgentTools;
  policy: PermissionPolicy;
  /** Absent in headless runs: a call that needs approval is then refused with a hint. */
  approver: Approver | undefined;
  record: (body: AgentEventBody) => Promise<void>;
  signal: AbortSignal;
  /** PreToolUse / PostToolUse hook points; absent means none. */
  hooks?: AgentHooks;
}

/** The context of one turn's calls, with the one desk all their approval questions go through. */
interface TurnContext extends ToolRunContext {
  desk: ApprovalDesk | undefined;
}

type Prepared = { call: ToolCall; result: ReturnType<AgentTools["prepare"]> };

/**
 * Runs one turn's tool calls: consecutive read-only calls concurrently, every
 * write or command alone and in order, so effects happen in the order the
 * model asked for them. Every call ends with exactly one `tool_result`.
 */
export async function runToolCalls(calls: ToolCall[], context: ToolRunContext): Promise<void> {
  const desk = context.approver && new ApprovalDesk(context.approver, context.record);
  const ctx: TurnContext = { ...context, desk };
  const prepared = calls.map((call) => ({ call, result: ctx.tools.prepare(call, ctx.signal) }));
  for (const batch of batchByEffect(prepared)) {
    await Promise.all(batch.map((item) => runPrepared(item, ctx)));
  }
}

/** A call that failed validation has no effect: it is answered at once, alongside reads. */
function isRead(item: Prepared): boolean {
  return !item.result.ok || item.result.call.effect === "read";
}

function batchByEffect(items: Prepared[]): Prepared[][] {
  const batches: Prepared[][] = [];
  let reads: Prepared[] = [];
  for (const item of items) {
    if (isRead(item)) {
      reads.push(item);
      continue;
    }
    if (reads.length > 0) batches.push(reads);
    reads = [];
    batches.push([item]);
  }
  if (reads.length > 0) batches.push(reads);
  return batches;
}

async function runPrepared({ call, result }: Prepared, ctx: TurnContext): Promise<void> {
  const started = Date.now();
  const finish = (finalCall: ToolCall, outcome: ToolOutcome) =>
    ctx.record({
      type: "tool_result",
      callId: finalCall.callId,
      name: finalCall.name,
      output: outcome.ok ? outcome.output : outcome.message,
      isError: !outcome.ok,
      ...(outcome.ok ? {} : { errorKind: outcome.errorKind }),
      durationMs: Date.now() - started,
    });

  if (ctx.signal.aborted) return finish(call, cancelled());
  if (!result.ok) return finish(call, result.outcome);
  const gated = await applyPreToolHooks(call, result.call, ctx);
  if ("refusal" in gated) return finish(call, gated.refusal);
  const permitted = await obtainPermission(gated.call, gated.prepared, ctx);
  if ("refusal" in permitted) return finish(call, permitted.refusal);
  if (ctx.signal.aborted) return finish(call, cancelled());
  const { desk } = ctx;
  const services: ToolRunServices = {
    reportUsage: (usage) => ctx.record(usage),
    ...(desk && { approverFor: (agent: string) => desk.forSubagent(agent, call.callId) }),
  };
  const outcome = await permitted.run.execute(services);
  const feedback = await ctx.hooks?.postToolUse?.(gated.call, outcome, ctx.signal);
  await recordHookFailures(feedback?.failures, ctx.record);
  const context = [...gated.context, ...(feedback?.context ?? [])];
  return finish(call, withContext(outcome, context));
}

type Gated = { call: ToolCall; prepared: PreparedToolCall; context: string[] } | { refusal: ToolOutcome };

/**
 * The PreToolUse hook point. A block is answered as the call's result (the
 * model reads the reason); a rewrite is validated again as if the model had
 * sent it. Both are logged as a hook's approval decision.
 */
async function applyPreToolHooks(
  call: ToolCall,
  prepared: PreparedToolCall,
  ctx: ToolRunContext,
): Promise<Gated> {
  const gate = await ctx.hooks?.preToolUse?.(call, ctx.signal);
  if (!gate) return { call, prepared, context: [] };
  await recordHookFailures(gate.failures, ctx.record);
  const requestId = `hook_${call.callId}`;
  if (gate.action === "block") {
    await ctx.record({
      type: "approval_decision",
      requestId,
      decision: "deny",
      decidedBy: "hook",
      reason: gate.reason,
    });
    return {
      refusal: { ok: false, errorKind: "blocked_by_hook", message: `Blocked by a hook: ${gate.reason}` },
    };
  }
  const context = gate.context ?? [];
  if (gate.argumentsJson === undefined || gate.argumentsJson === call.argumentsJson) {
    return { call, prepared, context };
  }
  await ctx.record({
    type: "approval_decision",
    requestId,
    decision: "allow",
    decidedBy: "hook",
    editedArgumentsJson: gate.argumentsJson,
  });
  const rewritten = { ...call, argumentsJson: gate.argumentsJson };
  const again = ctx.tools.prepare(rewritten, ctx.signal);
  return again.ok ? { call: rewritten, prepared: again.call, context } : { refusal: again.outcome };
}

function withContext(outcome: ToolOutcome, context: readonly string[]): ToolOutcome {
  const extra = formatHookContext(context);
  if (extra === "") return outcome;
  return outcome.ok
    ? { ok: true, output: `${outcome.output}\n\n${extra}` }
    : { ...outcome, message: `${outcome.message}\n\n${extra}` };
}

type Permission = { run: PreparedToolCall } | { refusal: ToolOutcome };

async function obtainPermission(
  call: ToolCall,
  prepared: PreparedToolCall,
  ctx: TurnContext,
): Promise<Permission> {
  const { effect } = prepared;
  const verdict = ctx.policy.decide(call, effect);
  if (verdict.action === "allow") return { run: prepared };
  if (verdict.action === "deny")
    return { refusal: { ok: false, errorKind: "denied", message: verdict.reason } };

  const shown = await prepared.preview();
  if (!shown.ok) return { refusal: shown.outcome };
  if (!ctx.desk) {
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

  const question = {
    requestId: `apr_${randomUUID()}`,
    call,
    kind: APPROVAL_KIND[effect],
    preview: shown.preview,
  };
  const answer = await ctx.desk.ask(question, ctx.signal);
  if (answer.decision === "deny") {
    const why = answer.reason ? `: ${answer.reason}` : "";
    return { refusal: { ok: false, errorKind: "denied", message: `The user declined this call${why}.` } };
  }
  if (answer.decision === "allow_always") ctx.policy.grantAlways(call, effect);
  if (answer.editedArgumentsJson === undefined) return { run: prepared };
  // "Edit then run": the person changed the arguments; validate the new call as if the model had sent it.
  const edited = ctx.tools.prepare({ ...call, argumentsJson: answer.editedArgumentsJson }, ctx.signal);
  if (!edited.ok) return { refusal: edited.outcome };
  // The person approved the edited call: its preview (the diff it will apply) is what execution is held to.
  const editedPreview = await edited.call.preview();
  return editedPreview.ok ? { run: edited.call } : { refusal: editedPreview.outcome };
}

function cancelled(): ToolOutcome {
  return { ok: false, errorKind: "cancelled", message: "The run was cancelled before this call finished." };
}
