import * as pb from "@toad/proto";
import { EventDecodeError, enumTable } from "./enum-table.js";
import type {
  AgentEvent,
  AgentEventBody,
  ApprovalKind,
  DecidedBy,
  Decision,
  PermissionMode,
  StopReason,
  UserImage,
} from "./events.js";

const permissionModes = enumTable<PermissionMode, pb.PermissionMode>({
  plan: pb.PermissionMode.PERMISSION_MODE_PLAN,
  ask: pb.PermissionMode.PERMISSION_MODE_ASK,
  "auto-edit": pb.PermissionMode.PERMISSION_MODE_AUTO_EDIT,
  "full-auto": pb.PermissionMode.PERMISSION_MODE_FULL_AUTO,
});

const approvalKinds = enumTable<ApprovalKind, pb.ApprovalKind>({
  edit: pb.ApprovalKind.APPROVAL_KIND_EDIT,
  command: pb.ApprovalKind.APPROVAL_KIND_COMMAND,
  network: pb.ApprovalKind.APPROVAL_KIND_NETWORK,
  other: pb.ApprovalKind.APPROVAL_KIND_OTHER,
});

const decisions = enumTable<Decision, pb.Decision>({
  allow: pb.Decision.DECISION_ALLOW,
  deny: pb.Decision.DECISION_DENY,
  allow_always: pb.Decision.DECISION_ALLOW_ALWAYS,
});

const deciders = enumTable<DecidedBy, pb.DecidedBy>({
  user: pb.DecidedBy.DECIDED_BY_USER,
  rule: pb.DecidedBy.DECIDED_BY_RULE,
  mode: pb.DecidedBy.DECIDED_BY_MODE,
  hook: pb.DecidedBy.DECIDED_BY_HOOK,
});

const stopReasons = enumTable<StopReason, pb.StopReason>({
  end_turn: pb.StopReason.STOP_REASON_END_TURN,
  tool_use: pb.StopReason.STOP_REASON_TOOL_USE,
  max_tokens: pb.StopReason.STOP_REASON_MAX_TOKENS,
  stop_sequence: pb.StopReason.STOP_REASON_STOP_SEQUENCE,
  refusal: pb.StopReason.STOP_REASON_REFUSAL,
  pause_turn: pb.StopReason.STOP_REASON_PAUSE_TURN,
  cancelled: pb.StopReason.STOP_REASON_CANCELLED,
  error: pb.StopReason.STOP_REASON_ERROR,
});

export { decisions as decisionTable, permissionModes as permissionModeTable, stopReasons as stopReasonTable };

type ProtoKind = NonNullable<pb.AgentEvent["kind"]>;

/** The core event as its proto message. */
export function eventToProto(event: AgentEvent): pb.AgentEvent {
  return {
    sessionId: event.sessionId,
    seq: event.seq,
    timestampMs: event.timestamp,
    kind: bodyToProto(event),
  };
}

/** The proto message as a core event; throws `EventDecodeError` when it is not a valid event. */
export function eventFromProto(message: pb.AgentEvent): AgentEvent {
  if (!message.kind) throw new EventDecodeError("AgentEvent has no kind");
  return {
    sessionId: message.sessionId,
    seq: message.seq,
    timestamp: message.timestampMs,
    ...bodyFromProto(message.kind),
  };
}

function bodyToProto(e: AgentEventBody): ProtoKind {
  switch (e.type) {
    case "session_started":
      return {
        $case: "sessionStarted",
        value: { cwd: e.cwd, model: e.model, permissionMode: permissionModes.toProto(e.permissionMode) },
      };
    case "user_message":
      return { $case: "userMessage", value: { text: e.text, images: (e.images ?? []).map(imageToProto) } };
    case "turn_start":
      return { $case: "turnStart", value: { turn: e.turn, model: e.model, provider: e.provider } };
    case "text_delta":
      return { $case: "textDelta", value: { text: e.text } };
    case "thinking_delta":
      return {
        $case: "thinkingDelta",
        value: { text: e.text, signature: e.signature, redacted: e.redacted },
      };
    case "tool_call_start":
      return { $case: "toolCallStart", value: { callId: e.callId, name: e.name } };
    case "tool_call_delta":
      return { $case: "toolCallDelta", value: { callId: e.callId, argumentsDelta: e.argumentsDelta } };
    case "tool_call_complete":
      return {
        $case: "toolCallComplete",
        value: { callId: e.callId, name: e.name, argumentsJson: e.argumentsJson },
      };
    case "tool_result":
      return {
        $case: "toolResult",
        value: {
          callId: e.callId,
          name: e.name,
          output: e.output,
          isError: e.isError,
          errorKind: e.errorKind,
          durationMs: e.durationMs,
        },
      };
    case "approval_request":
      return {
        $case: "approvalRequest",
        value: {
          requestId: e.requestId,
          callId: e.callId,
          tool: e.tool,
          kind: approvalKinds.toProto(e.kind),
          summary: e.summary,
          diff: e.diff,
          command: e.command,
          subagent: e.subagent,
        },
      };
    case "approval_decision":
      return {
        $case: "approvalDecision",
        value: {
          requestId: e.requestId,
          decision: decisions.toProto(e.decision),
          decidedBy: deciders.toProto(e.decidedBy),
          reason: e.reason,
          editedArgumentsJson: e.editedArgumentsJson,
        },
      };
    case "usage":
      return {
        $case: "usage",
        value: {
          model: e.model,
          inputTokens: e.inputTokens,
          outputTokens: e.outputTokens,
          cacheReadTokens: e.cacheReadTokens,
          cacheWriteTokens: e.cacheWriteTokens,
          costUsd: e.costUsd,
        },
      };
    case "retry":
      return {
        $case: "retry",
        value: {
          attempt: e.attempt,
          delayMs: e.delayMs,
          reason: e.reason,
          discardPartial: e.discardPartial,
          nextModel: e.nextModel,
        },
      };
    case "error":
      return { $case: "error", value: { code: e.code, message: e.message, retryable: e.retryable } };
    case "turn_end":
      return { $case: "turnEnd", value: { turn: e.turn, stopReason: stopReasons.toProto(e.stopReason) } };
  }
}

function bodyFromProto(kind: ProtoKind): AgentEventBody {
  switch (kind.$case) {
    case "sessionStarted": {
      const v = kind.value;
      return {
        type: "session_started",
        cwd: v.cwd,
        model: v.model,
        permissionMode: permissionModes.fromProto(v.permissionMode, "session_started.permissionMode"),
      };
    }
    case "userMessage": {
      const { text, images } = kind.value;
      return images.length === 0
        ? { type: "user_message", text }
        : { type: "user_message", text, images: images.map(imageFromProto) };
    }
    case "turnStart": {
      const v = kind.value;
      return { type: "turn_start", turn: v.turn, model: v.model, provider: v.provider };
    }
    case "textDelta":
      return { type: "text_delta", text: kind.value.text };
    case "thinkingDelta": {
      const v = kind.value;
      return withoutUndefined({
        type: "thinking_delta",
        text: v.text,
        signature: v.signature,
        redacted: v.redacted,
      });
    }
    case "toolCallStart":
      return { type: "tool_call_start", callId: kind.value.callId, name: kind.value.name };
    case "toolCallDelta":
      return {
        type: "tool_call_delta",
        callId: kind.value.callId,
        argumentsDelta: kind.value.argumentsDelta,
      };
    case "toolCallComplete": {
      const v = kind.value;
      return { type: "tool_call_complete", callId: v.callId, name: v.name, argumentsJson: v.argumentsJson };
    }
    case "toolResult": {
      const v = kind.value;
      return withoutUndefined({
        type: "tool_result",
        callId: v.callId,
        name: v.name,
        output: v.output,
        isError: v.isError,
        errorKind: v.errorKind,
        durationMs: v.durationMs,
      });
    }
    case "approvalRequest": {
      const v = kind.value;
      return withoutUndefined({
        type: "approval_request",
        requestId: v.requestId,
        callId: v.callId,
        tool: v.tool,
        kind: approvalKinds.fromProto(v.kind, "approval_request.kind"),
        summary: v.summary,
        diff: v.diff,
        command: v.command,
        subagent: v.subagent,
      });
    }
    case "approvalDecision": {
      const v = kind.value;
      return withoutUndefined({
        type: "approval_decision",
        requestId: v.requestId,
        decision: decisions.fromProto(v.decision, "approval_decision.decision"),
        decidedBy: deciders.fromProto(v.decidedBy, "approval_decision.decidedBy"),
        reason: v.reason,
        editedArgumentsJson: v.editedArgumentsJson,
      });
    }
    case "usage": {
      const v = kind.value;
      return {
        type: "usage",
        model: v.model,
        inputTokens: v.inputTokens,
        outputTokens: v.outputTokens,
        cacheReadTokens: v.cacheReadTokens,
        cacheWriteTokens: v.cacheWriteTokens,
        costUsd: v.costUsd,
      };
    }
    case "retry": {
      const v = kind.value;
      return withoutUndefined({
        type: "retry",
        attempt: v.attempt,
        delayMs: v.delayMs,
        reason: v.reason,
        discardPartial: v.discardPartial,
        nextModel: v.nextModel,
      });
    }
    case "error":
      return {
        type: "error",
        code: kind.value.code,
        message: kind.value.message,
        retryable: kind.value.retryable,
      };
    case "turnEnd":
      return {
        type: "turn_end",
        turn: kind.value.turn,
        stopReason: stopReasons.fromProto(kind.value.stopReason, "turn_end.stopReason"),
      };
  }
}

/** Image bytes travel as proto bytes (a third smaller than base64 text). */
export function imageToProto(image: UserImage): pb.UserImage {
  return {
    mediaType: image.mediaType,
    sha256: image.sha256,
    data: image.dataBase64 === undefined ? undefined : Buffer.from(image.dataBase64, "base64"),
    source: image.source,
  };
}

export function imageFromProto(image: pb.UserImage): UserImage {
  return withoutUndefined({
    mediaType: image.mediaType,
    sha256: image.sha256,
    dataBase64: image.data === undefined ? undefined : Buffer.from(image.data).toString("base64"),
    source: image.source,
  });
}

/** Optional proto fields decode as `undefined`; the core model leaves such keys out. */
function withoutUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}
