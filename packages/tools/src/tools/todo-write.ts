import { z } from "zod";
import { TODO_STATUSES, type TodoItem } from "../todos.js";
import { defineTool, type Tool } from "../tool.js";
import { ok } from "../types.js";

const schema = z.object({
  todos: z
    .array(
      z.object({
        id: z.string().optional().describe("Stable id; default: the position."),
        content: z.string().min(1).describe("The task, imperative and short."),
        status: z.enum(TODO_STATUSES),
      }),
    )
    .max(100)
    .describe("The whole list; it replaces the previous one."),
});

const MARK: Record<TodoItem["status"], string> = { pending: "[ ]", in_progress: "[~]", completed: "[x]" };

export function renderTodos(items: readonly TodoItem[]): string {
  if (items.length === 0) return "(no tasks)";
  return items.map((item) => `${MARK[item.status]} ${item.content}`).join("\n");
}

export function createTodoWriteTool(): Tool {
  return defineTool({
    name: "todo_write",
    description:
      "Replace your task list for this session: use it to plan multi-step work and track progress. " +
      "Keep at most one task in_progress; mark tasks completed as soon as they are done.",
    // It changes only the session's list, never the workspace, so it is allowed in every mode.
    effect: "read",
    schema,
    async preview(args) {
      return ok({ summary: `Update the task list (${args.todos.length} tasks)` });
    },
    async execute(args, ctx) {
      const items: TodoItem[] = args.todos.map((todo, index) => ({
        id: todo.id ?? String(index + 1),
        content: todo.content,
        status: todo.status,
      }));
      ctx.todos.set(items);
      const inProgress = items.filter((item) => item.status === "in_progress").length;
      const note = inProgress > 1 ? `\nnote: ${inProgress} tasks are in_progress; keep one at a time.` : "";
      return ok({ output: `${renderTodos(items)}${note}` });
    },
  });
}
