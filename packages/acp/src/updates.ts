import type { PlanEntry, SessionUpdate, ToolCallContent } from "@agentclientprotocol/sdk";
import type { AgentEventBody, ContentBlock, Message } from "@toad/core";
import { parseArgs, toolDisplay, toolKind } from "./tool-display.js";

/** Tool output shown in the editor is capped; the model still gets all of it. */
const MAX_SHOWN_OUTPUT = 20_000;

export interface UpdateContext {
  workspaceRoot: string;
  /** What a call showed besides its output (diffs of its edits, its terminals), taken once. */
  takeContent(callId: string): ToolCallContent[];
}

function textContent(text: string): ToolCallContent {
  const shown = text.length > MAX_SHOWN_OUTPUT ? `${text.slice(0, MAX_SHOWN_OUTPUT)}\n[… cut]` : text;
  return { type: "content", content: { type: "text", text: shown } };
}

function resultContent(callId: string, output: string, ctx: UpdateContext): ToolCallContent[] {
  return [...ctx.takeContent(callId), textContent(output)];
}

/**
 * The `session/update`s one live agent event becomes. Events the editor has
 * no use for (usage, turn bounds, approvals, which travel as permission
 * requests) become none.
 */
export function updatesForEvent(event: AgentEventBody, ctx: UpdateContext): SessionUpdate[] {
  switch (event.type) {
    case "text_delta":
      return event.text === ""
        ? []
        : [{ sessionUpdate: "agent_message_chunk", content: { type: "text", text: event.text } }];
    case "thinking_delta":
      return event.redacted || event.text === ""
        ? []
        : [{ sessionUpdate: "agent_thought_chunk", content: { type: "text", text: event.text } }];
    case "tool_call_start":
      return [
        {
          sessionUpdate: "tool_call",
          toolCallId: event.callId,
          title: event.name,
          kind: toolKind(event.name),
          status: "pending",
        },
      ];
    case "tool_call_complete": {
      const args = parseArgs(event.argumentsJson);
      const display = toolDisplay(event.name, args, ctx.workspaceRoot);
      return [
        {
          sessionUpdate: "tool_call_update",
          toolCallId: event.callId,
          title: display.title,
          kind: display.kind,
          locations: display.locations,
          rawInput: args,
        },
      ];
    }
    case "tool_result":
      return [
        {
          sessionUpdate: "tool_call_update",
          toolCallId: event.callId,
          status: event.isError ? "failed" : "completed",
          content: resultContent(event.callId, event.output, ctx),
          rawOutput: {
            output: event.output,
            isError: event.isError,
            ...(event.errorKind && { errorKind: event.errorKind }),
          },
        },
      ];
    case "error":
      // A stop at a cap says why in the conversation; a failed request is the prompt's error answer.
      return event.code === "max_turns" || event.code === "budget_exceeded"
        ? [
            {
              sessionUpdate: "agent_message_chunk",
              content: { type: "text", text: `\n\n[${event.message}]` },
            },
          ]
        : [];
    default:
      return [];
  }
}

/** The todo list as an ACP plan (TOAD's list has no priorities: all medium). */
export function planUpdate(
  items: ReadonlyArray<{ content: string; status: PlanEntry["status"] }>,
): SessionUpdate {
  return {
    sessionUpdate: "plan",
    entries: items.map((item) => ({ content: item.content, status: item.status, priority: "medium" })),
  };
}

function blockUpdates(role: Message["role"], block: ContentBlock, workspaceRoot: string): SessionUpdate[] {
  switch (block.type) {
    case "text":
      return block.text === ""
        ? []
        : [
            {
              sessionUpdate: role === "user" ? "user_message_chunk" : "agent_message_chunk",
              content: { type: "text", text: block.text },
            },
          ];
    case "thinking":
      return block.redacted || block.text === ""
        ? []
        : [{ sessionUpdate: "agent_thought_chunk", content: { type: "text", text: block.text } }];
    case "tool_use": {
      const args = parseArgs(block.argumentsJson);
      const display = toolDisplay(block.name, args, workspaceRoot);
      return [
        {
          sessionUpdate: "tool_call",
          toolCallId: block.callId,
          title: display.title,
          kind: display.kind,
          status: "pending",
          locations: display.locations,
          rawInput: args,
        },
      ];
    }
    case "tool_result":
      return [
        {
          sessionUpdate: "tool_call_update",
          toolCallId: block.callId,
          status: block.isError ? "failed" : "completed",
          content: [textContent(block.output)],
        },
      ];
    case "image":
      return [];
  }
}

/**
 * A stored conversation as the updates that rebuild it in the editor
 * (`session/load`): user and agent messages, thoughts, and every tool call
 * with its final status and output.
 */
export function replayUpdates(messages: readonly Message[], workspaceRoot: string): SessionUpdate[] {
  return messages.flatMap((message) =>
    message.content.flatMap((block) => blockUpdates(message.role, block, workspaceRoot)),
  );
}
