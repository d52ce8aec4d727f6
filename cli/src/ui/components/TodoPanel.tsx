import { Box, Text } from "ink";
import type { TodoEntry } from "../state/types.js";

const MARK: Record<TodoEntry["status"], { glyph: string; color: string }> = {
  pending: { glyph: "☐", color: "gray" },
  in_progress: { glyph: "◐", color: "yellow" },
  completed: { glyph: "☑", color: "green" },
};

/** The agent's task list (from its last `todo_write`); ctrl+t hides it. */
export function TodoPanel({ todos }: { todos: readonly TodoEntry[] }) {
  const done = todos.filter((todo) => todo.status === "completed").length;
  return (
    <Box flexDirection="column" borderStyle="single" borderColor="gray" paddingX={1} marginTop={1}>
      <Text bold>{`Tasks ${done}/${todos.length}`}</Text>
      <TodoLines todos={todos.slice(0, 12)} />
    </Box>
  );
}

export function TodoLines({ todos }: { todos: readonly TodoEntry[] }) {
  return (
    <>
      {keyed(todos).map(({ key, todo }) => (
        <Text
          key={key}
          color={MARK[todo.status].color}
          strikethrough={todo.status === "completed"}
          wrap="truncate-end"
        >
          {`${MARK[todo.status].glyph} ${todo.content}`}
        </Text>
      ))}
    </>
  );
}

/** Entries may repeat, so their key includes their position (the list is always replaced whole). */
function keyed(todos: readonly TodoEntry[]): { key: string; todo: TodoEntry }[] {
  return todos.map((todo, position) => ({ key: `${position}:${todo.content}`, todo }));
}
