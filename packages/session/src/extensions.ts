import type { AgentHooks, AgentTools, HookReply, PermissionPolicy } from "@toad/agent";
import type { ModelClient, PermissionMode } from "@toad/core";
import type { SessionRecord } from "@toad/store";

/**
 * The session's extension port (implemented by `@toad/extensions`: hook
 * commands, skills, subagents, diagnostics, web fetch). Every method is
 * optional and none throws for bad user config: problems come back as hook
 * failures, which the run logs as `error` events.
 */
export interface SessionExtensions {
  /**
   * SessionStart: asked on a session's first run, before its first prompt;
   * the context it returns goes into that first user message.
   */
  sessionStart?(session: SessionRecord, signal: AbortSignal): Promise<HookReply<{ context?: string[] }>>;
  /** The tools and hooks of one run, built over the session's own tools. */
  forRun?(setup: RunSetup): Promise<RunExtensions>;
}

export interface RunSetup {
  session: SessionRecord;
  permissionMode: PermissionMode;
  /** The session's own tools (built-in, MCP): what extensions add to, and what subagents pick from. */
  tools: AgentTools;
  model: ModelClient;
  /** The run's policy: tools that act on the model's behalf (subagents) obey it too. */
  policy: PermissionPolicy;
  signal: AbortSignal;
}

export interface RunExtensions {
  /** The run's tools; the session's own when absent. */
  tools?: AgentTools;
  hooks?: AgentHooks;
}
