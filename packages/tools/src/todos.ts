export const TODO_STATUSES = ["pending", "in_progress", "completed"] as const;
export type TodoStatus = (typeof TODO_STATUSES)[number];

export interface TodoItem {
  id: string;
  content: string;
  status: TodoStatus;
}

/**
 * The agent's task list. The caller owns it (the agent loop keeps it per
 * session and may render it); `todo_write` replaces it whole.
 */
export interface TodoList {
  get(): readonly TodoItem[];
  set(items: readonly TodoItem[]): void;
}

/** An in-memory list; `onChange` lets the owner render or persist each update. */
export function createTodoList(
  initial: readonly TodoItem[] = [],
  onChange?: (items: readonly TodoItem[]) => void,
): TodoList {
  let items: readonly TodoItem[] = [...initial];
  return {
    get: () => items,
    set(next) {
      items = [...next];
      onChange?.(items);
    },
  };
}
