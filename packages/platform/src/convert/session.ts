import * as pb from "@toad/proto";
import type { SessionRecord } from "@toad/store";
import type { RunState } from "../bus/port.js";
import type { SessionSettings } from "../session/settings.js";
import { permissionModes, toolLocations } from "./enums.js";

const STATES: Record<RunState | "idle", pb.SessionState> = {
  idle: pb.SessionState.SESSION_STATE_IDLE,
  running: pb.SessionState.SESSION_STATE_RUNNING,
  awaiting_approval: pb.SessionState.SESSION_STATE_AWAITING_APPROVAL,
};

export function sessionToProto(
  record: SessionRecord,
  settings: SessionSettings,
  state: RunState | "idle",
): pb.Session {
  return {
    id: record.id,
    title: record.title,
    cwd: record.cwd,
    model: record.model,
    permissionMode: permissionModes.toProto(record.permissionMode),
    state: STATES[state],
    createdAtMs: record.createdAt,
    updatedAtMs: record.updatedAt,
    lastSeq: record.lastSeq,
    costUsd: record.costUsd,
    toolLocation: toolLocations.toProto(settings.toolLocation),
    workspaceId: settings.workspaceId,
  };
}
