import type { AgentEventBody } from "@toad/core";
import { TODO_STATUSES, type TodoItem } from "@toad/tools";

function parseTodos(argumentsJson: string): TodoItem[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(argumentsJson);
  } catch {
    return undefined;
  }
  const todos = (parsed as { todos?: unknown } | null)?.todos;
  if (!Array.isArray(todos)) return undefined;
  const items: TodoItem[] = [];
  for (const [index, raw] of todos.entries()) {
    const todo = raw as { id?: unknown; content?: unknown; status?: unknown } | null;
    const status = TODO_STATUSES.find((candidate) => candidate === todo?.status);
    if (typeof todo?.content !== "string" || status === undefined) return undefined;
    items.push({
      id: typeof todo.id === "string" ? todo.id : String(index + 1),
      content: todo.content,
      status,
    });
  }
  return items;
}

/** The plan as the session's last successful todo_write left it (a loaded session shows it again). */
export function lastTodos(events: readonly AgentEventBody[]): TodoItem[] {
  const pending = new Map<string, string>();
  let latest: TodoItem[] = [];
  for (const event of events) {
    if (event.type === "tool_call_complete" && event.name === "todo_write") {
      pending.set(event.callId, event.argumentsJson);
    } else if (event.type === "tool_result" && event.name === "todo_write" && !event.isError) {
      const items = parseTodos(pending.get(event.callId) ?? "");
      if (items) latest = items;
    }
  }
  return latest;
}
