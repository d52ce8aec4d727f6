import { Box, Text } from "ink";
import type { StatusEntry } from "../../state/git-status.js";
import { PANELS, type PanelKind, type UiState } from "../../state/types.js";
import { TodoLines } from "../TodoPanel.js";
import { DiffPanel } from "./DiffPanel.js";
import { FilesPanel } from "./FilesPanel.js";
import { MetricsPanel } from "./MetricsPanel.js";

const TITLES: Record<PanelKind, string> = {
  diff: "Diff",
  todos: "Tasks",
  files: "Files",
  metrics: "Metrics",
};

/** The split layout's side panel: tabs over the diff viewer, the todo list, the file tree and the metrics. */
export function SidePanel({
  state,
  files,
  changes,
  width,
  height,
  contextWindow,
}: {
  state: UiState;
  files: readonly string[] | undefined;
  changes: readonly StatusEntry[] | undefined;
  width: number;
  height: number;
  contextWindow: number | undefined;
}) {
  // Border (2 rows), tabs and a blank line.
  const body = Math.max(1, height - 4);
  const inner = Math.max(10, width - 4);
  return (
    <Box
      flexDirection="column"
      borderStyle="round"
      borderColor="gray"
      width={width}
      flexShrink={0}
      paddingX={1}
      overflow="hidden"
    >
      <Text wrap="truncate-end">
        {PANELS.map((panel, index) => (
          <Text key={panel} {...(panel === state.panel ? { color: "cyan", bold: true } : { dimColor: true })}>
            {`${index === 0 ? "" : "  "}${index + 1} ${TITLES[panel]}${panel === "todos" && state.todos.length > 0 ? ` ${doneCount(state)}/${state.todos.length}` : ""}`}
          </Text>
        ))}
      </Text>
      <Box marginTop={1} flexDirection="column" overflow="hidden">
        {state.panel === "diff" && <DiffPanel state={state} width={inner} height={body} />}
        {state.panel === "todos" &&
          (state.todos.length === 0 ? (
            <Text dimColor>no tasks yet</Text>
          ) : (
            <TodoLines todos={state.todos.slice(0, body)} />
          ))}
        {state.panel === "files" && <FilesPanel files={files} changes={changes} height={body} />}
        {state.panel === "metrics" && (
          <MetricsPanel state={state} contextWindow={contextWindow} height={body} />
        )}
      </Box>
    </Box>
  );
}

const doneCount = (state: UiState) => state.todos.filter((todo) => todo.status === "completed").length;
