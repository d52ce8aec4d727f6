import type { AgentEvent, AgentEventBody, AgentEventType } from "../src/index.js";

/** One representative of every event type, optional fields both set and left out. */
export const SAMPLE_BODIES: { [T in AgentEventType]: Extract<AgentEventBody, { type: T }>[] } = {
  session_started: [
    { type: "session_started", cwd: "/repo", model: "claude-sonnet-4-5", permissionMode: "ask" },
  ],
  user_message: [
    { type: "user_message", text: "fix the failing test in src/x.ts ✓" },
    {
      type: "user_message",
      text: "what is in ./shot.png and ./old.png?",
      images: [
        {
          mediaType: "image/png",
          sha256: "a".repeat(64),
          dataBase64:
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
          source: "./shot.png",
        },
        { mediaType: "image/jpeg", sha256: "0123456789abcdef".repeat(4) },
        { mediaType: "image/gif", sha256: "b".repeat(64), dataBase64: "R0lGODlh", source: "pasted" },
      ],
    },
  ],
  turn_start: [{ type: "turn_start", turn: 1, model: "gpt-5", provider: "openai-responses" }],
  text_delta: [{ type: "text_delta", text: "Okay, let's check\n```ts\nconst a = 1;\n```" }],
  thinking_delta: [
    { type: "thinking_delta", text: "The user wants…", redacted: false },
    { type: "thinking_delta", text: "", signature: "EqQBCkgIARABGAIiQL", redacted: false },
    { type: "thinking_delta", text: "opaque", redacted: true },
  ],
  tool_call_start: [{ type: "tool_call_start", callId: "toolu_01", name: "read_file" }],
  tool_call_delta: [{ type: "tool_call_delta", callId: "toolu_01", argumentsDelta: '{"path": "src/' }],
  tool_call_complete: [
    {
      type: "tool_call_complete",
      callId: "toolu_01",
      name: "read_file",
      argumentsJson: '{"path":"src/x.ts"}',
    },
    { type: "tool_call_complete", callId: "call_2", name: "bash", argumentsJson: '{"command": "ls' },
  ],
  tool_result: [
    {
      type: "tool_result",
      callId: "toolu_01",
      name: "read_file",
      output: "1\tconst a = 1;",
      isError: false,
      durationMs: 3,
    },
    {
      type: "tool_result",
      callId: "call_2",
      name: "bash",
      output: "invalid JSON in arguments",
      isError: true,
      errorKind: "invalid_arguments",
      durationMs: 0,
    },
  ],
  approval_request: [
    {
      type: "approval_request",
      requestId: "apr_1",
      callId: "toolu_02",
      tool: "edit_file",
      kind: "edit",
      summary: "Edit src/x.ts (+1 -1)",
      diff: "--- a/src/x.ts\n+++ b/src/x.ts\n@@ -1 +1 @@\n-const a = 1;\n+const a = 2;\n",
    },
    {
      type: "approval_request",
      requestId: "apr_2",
      callId: "toolu_03",
      tool: "bash",
      kind: "command",
      summary: "Run npm test",
      command: "npm test",
    },
    {
      type: "approval_request",
      requestId: "apr_4",
      callId: "toolu_04",
      tool: "write_file",
      kind: "edit",
      summary: "Write notes.md",
      subagent: "general",
    },
  ],
  approval_decision: [
    { type: "approval_decision", requestId: "apr_1", decision: "allow", decidedBy: "user" },
    {
      type: "approval_decision",
      requestId: "apr_2",
      decision: "deny",
      decidedBy: "rule",
      reason: "denied by rule bash(rm *)",
      editedArgumentsJson: '{"command":"npm test -- x"}',
    },
    { type: "approval_decision", requestId: "apr_3", decision: "allow_always", decidedBy: "mode" },
  ],
  usage: [
    {
      type: "usage",
      model: "claude-sonnet-4-5",
      inputTokens: 472,
      outputTokens: 89,
      cacheReadTokens: 6289,
      cacheWriteTokens: 3337,
      costUsd: 0.0123456789,
    },
  ],
  retry: [
    { type: "retry", attempt: 1, delayMs: 2000, reason: "429 rate_limit_error", discardPartial: false },
    {
      type: "retry",
      attempt: 3,
      delayMs: 0,
      reason: "stream cut after output began",
      discardPartial: true,
      nextModel: "gpt-5-mini",
    },
  ],
  error: [{ type: "error", code: "auth", message: "Set ANTHROPIC_API_KEY", retryable: false }],
  turn_end: [
    { type: "turn_end", turn: 1, stopReason: "tool_use" },
    { type: "turn_end", turn: 2, stopReason: "pause_turn" },
    { type: "turn_end", turn: 3, stopReason: "cancelled" },
  ],
};

export function sampleEvents(): AgentEvent[] {
  const bodies = Object.values(SAMPLE_BODIES).flat() as AgentEventBody[];
  return bodies.map((body, index) => ({
    sessionId: "ses_01JTOAD",
    seq: index + 1,
    timestamp: 1_764_000_000_000 + index,
    ...body,
  }));
}
