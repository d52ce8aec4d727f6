import type { AgentContext, Diff, SessionUpdate, ToolCallContent } from "@agentclientprotocol/sdk";
import type { PermissionMode } from "@toad/core";
import type { McpHub } from "@toad/mcp";
import { createTodoList, type TodoItem, type TodoList } from "@toad/tools";
import type { ToolObserver } from "./session-tools.js";
import { planUpdate, type UpdateContext } from "./updates.js";

/**
 * One TOAD session as an ACP client sees it on this connection: its mode,
 * its plan, the MCP servers the client gave it, the running prompt, and an
 * ordered outbox of `session/update` notifications.
 */
export class AcpSession implements ToolObserver, UpdateContext {
  mode: PermissionMode;
  /** Set while a prompt runs; aborting it cancels the prompt. */
  running: AbortController | undefined;
  readonly todos: TodoList;
  /** Diffs and terminals of calls, shown with their results. */
  private readonly extra = new Map<string, ToolCallContent[]>();
  private outbox: Promise<void> = Promise.resolve();
  /** The call that is executing (calls that change things run one at a time). */
  private current: string | undefined;

  constructor(
    readonly id: string,
    readonly workspaceRoot: string,
    mode: PermissionMode,
    readonly client: AgentContext,
    /** The servers from the client's session/new or session/load. */
    readonly mcp: McpHub | undefined,
  ) {
    this.mode = mode;
    this.todos = createTodoList([], (items) => this.send(planUpdate(items)));
  }

  /** Queues a notification; notifications go out in the order they were queued. */
  send(update: SessionUpdate): void {
    this.outbox = this.outbox
      .then(() => this.client.notify("session/update", { sessionId: this.id, update }))
      .catch(() => {
        // The client went away; the prompt's own answer reports the end.
      });
  }

  /** Resolves once every queued notification was written. */
  flush(): Promise<void> {
    return this.outbox;
  }

  /** Restores the plan of a loaded session without announcing it twice. */
  restoreTodos(items: readonly TodoItem[]): void {
    this.todos.set(items);
  }

  started(callId: string): void {
    this.current = callId;
    this.send({ sessionUpdate: "tool_call_update", toolCallId: callId, status: "in_progress" });
  }

  terminal(terminalId: string): void {
    const callId = this.current;
    if (callId === undefined) return;
    const content = this.add(callId, [{ type: "terminal", terminalId }]);
    this.send({ sessionUpdate: "tool_call_update", toolCallId: callId, content });
  }

  edited(callId: string, diffs: Diff[]): void {
    this.add(
      callId,
      diffs.map((diff) => ({ type: "diff", ...diff })),
    );
  }

  takeContent(callId: string): ToolCallContent[] {
    const content = this.extra.get(callId) ?? [];
    this.extra.delete(callId);
    if (this.current === callId) this.current = undefined;
    return content;
  }

  private add(callId: string, content: ToolCallContent[]): ToolCallContent[] {
    const all = [...(this.extra.get(callId) ?? []), ...content];
    this.extra.set(callId, all);
    return all;
  }

  async close(): Promise<void> {
    this.running?.abort();
    await this.mcp?.close();
  }
}
