import { Box, Text } from "ink";
import { type StatusEntry, statusTree } from "../state/git-status.js";
import type { ToolCardItem, UiState } from "../state/types.js";
import { DiffView } from "./DiffView.js";
import { formatCost, formatTokens } from "./StatusLine.js";
import { TodoLines } from "./TodoPanel.js";

/**
 * The split layout: panels side by side under the conversation (the
 * conversation itself lives in the terminal's scrollback, so it cannot sit
 * beside them). Each panel gets `height` rows at most.
 */
export function Dock({
  state,
  files,
  width,
  height,
  contextWindow,
}: {
  state: UiState;
  files: readonly StatusEntry[] | undefined;
  width: number;
  height: number;
  contextWindow: number | undefined;
}) {
  const lastDiff = latestDiff(state);
  const panels = lastDiff ? 3 : 2;
  const panelWidth = Math.max(20, Math.floor(width / (panels + (state.todos.length > 0 ? 1 : 0))));
  return (
    // Title and two border rows around `height` rows of content.
    <Box marginTop={1} height={height + 3} overflow="hidden">
      <Panel title="Metrics" width={panelWidth}>
        <Metrics state={state} contextWindow={contextWindow} height={height} />
      </Panel>
      <Panel title="Changed files" width={panelWidth}>
        <Files files={files} height={height} />
      </Panel>
      {state.todos.length > 0 && (
        <Panel
          title={`Tasks ${state.todos.filter((todo) => todo.status === "completed").length}/${state.todos.length}`}
          width={panelWidth}
        >
          <TodoLines todos={state.todos.slice(0, height)} />
        </Panel>
      )}
      {lastDiff && (
        <Panel
          title={`Diff · ${lastDiff.name}`}
          width={width - panelWidth * (panels - 1 + (state.todos.length > 0 ? 1 : 0))}
        >
          <DiffView diff={lastDiff.diff} width={panelWidth * 2} maxLines={height - 1} layout="unified" />
        </Panel>
      )}
    </Box>
  );
}

function Panel({ title, width, children }: { title: string; width: number; children: React.ReactNode }) {
  return (
    <Box
      flexDirection="column"
      borderStyle="single"
      borderColor="gray"
      width={width}
      paddingX={1}
      overflow="hidden"
    >
      <Text bold wrap="truncate-end">
        {title}
      </Text>
      {children}
    </Box>
  );
}

function Metrics({
  state,
  contextWindow,
  height,
}: {
  state: UiState;
  contextWindow: number | undefined;
  height: number;
}) {
  const { usage } = state;
  const prompt = usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
  const cached = prompt === 0 ? 0 : Math.round((usage.cacheReadTokens / prompt) * 100);
  const rows: [string, string][] = [
    ["model", state.activeModel ?? state.model],
    ["tokens in", formatTokens(prompt)],
    ["tokens out", formatTokens(usage.outputTokens)],
    ["cache hits", `${cached}%`],
    ["cost", formatCost(usage.costUsd)],
    [
      "context",
      `${formatTokens(usage.contextTokens)}${contextWindow ? ` / ${formatTokens(contextWindow)}` : ""}`,
    ],
  ];
  return (
    <Box flexDirection="column">
      {rows.slice(0, height).map(([label, value]) => (
        <Text key={label} wrap="truncate-end">
          <Text dimColor>{label.padEnd(11)}</Text>
          {value}
        </Text>
      ))}
    </Box>
  );
}

const CODE_COLOR: Record<string, string> = { M: "yellow", A: "green", D: "red", R: "cyan", "?": "green" };

function Files({ files, height }: { files: readonly StatusEntry[] | undefined; height: number }) {
  if (files === undefined) return <Text dimColor>reading git status…</Text>;
  if (files.length === 0) return <Text dimColor>no changes</Text>;
  const lines = statusTree(files);
  const shown = lines.slice(0, height);
  return (
    <Box flexDirection="column">
      {shown.map((line) => {
        const code = line.code?.trim() ?? "";
        return (
          <Text key={line.key} wrap="truncate-end">
            {"  ".repeat(line.depth)}
            {line.code === undefined ? (
              <Text color="blue">{line.name}</Text>
            ) : (
              <Text color={CODE_COLOR[code[0] ?? ""] ?? "white"}>{`${code.padEnd(2)} ${line.name}`}</Text>
            )}
          </Text>
        );
      })}
      {lines.length > shown.length && <Text dimColor>{`… ${lines.length - shown.length} more`}</Text>}
    </Box>
  );
}

/** The diff of the newest edit, pending or done (searched from the end: cheap on a long history). */
function latestDiff(state: UiState): { name: string; diff: string } | undefined {
  const found = (card: ToolCardItem | undefined) =>
    card?.approval?.diff ? { name: card.name, diff: card.approval.diff } : undefined;
  for (let index = state.live.tools.length - 1; index >= 0; index--) {
    const diff = found(state.live.tools[index]);
    if (diff) return diff;
  }
  for (let index = state.items.length - 1; index >= 0; index--) {
    const item = state.items[index];
    const diff = item?.kind === "tool" ? found(item) : undefined;
    if (diff) return diff;
  }
  return undefined;
}
