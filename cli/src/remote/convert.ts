import type { AgentExit, AgentRunResult } from "@toad/agent";
import { type AgentEvent, PERMISSION_MODES, type PermissionMode } from "@toad/core";
import * as pb from "@toad/proto";
import type { SessionRecord } from "@toad/store";

const MODES: Record<number, PermissionMode> = {
  [pb.PermissionMode.PERMISSION_MODE_PLAN]: "plan",
  [pb.PermissionMode.PERMISSION_MODE_ASK]: "ask",
  [pb.PermissionMode.PERMISSION_MODE_AUTO_EDIT]: "auto-edit",
  [pb.PermissionMode.PERMISSION_MODE_FULL_AUTO]: "full-auto",
};

export function modeToProto(mode: PermissionMode): pb.PermissionMode {
  const index = PERMISSION_MODES.indexOf(mode);
  return (index + 1) as pb.PermissionMode;
}

/** A session as the gateway reports it, in the shape the embedded store uses. */
export function recordFromProto(session: pb.Session): SessionRecord {
  return {
    id: session.id,
    title: session.title,
    cwd: session.cwd,
    model: session.model,
    permissionMode: MODES[session.permissionMode] ?? "ask",
    createdAt: session.createdAtMs,
    updatedAt: session.updatedAtMs,
    lastSeq: session.lastSeq,
    costUsd: session.costUsd,
  };
}

/**
 * Folds the events of one run into what the embedded runner returns: turns,
 * cost, the last turn's text and why it stopped.
 */
export class RunTally {
  private turns = 0;
  private cost = 0;
  private text = "";
  private exit: AgentExit = "error";

  add(event: AgentEvent): void {
    switch (event.type) {
      case "turn_start":
        this.turns++;
        this.text = "";
        break;
      case "text_delta":
        this.text += event.text;
        break;
      case "retry":
        if (event.discardPartial) this.text = "";
        break;
      case "usage":
        this.cost += event.costUsd;
        break;
      case "turn_end":
        this.exit = event.stopReason;
        break;
      case "error":
        if (event.code === "max_turns") this.exit = "max_turns";
        if (event.code === "budget_exceeded") this.exit = "budget";
        break;
      default:
        break;
    }
  }

  result(): AgentRunResult {
    return { exit: this.exit, turns: this.turns, costUsd: this.cost, text: this.text };
  }
}
