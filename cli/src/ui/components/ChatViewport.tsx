import { Box, Text } from "ink";
import { memo } from "react";
import type { ChatItem, UiState } from "../state/types.js";
import type { ChatWindow } from "../state/viewport.js";
import { HistoryItem } from "./HistoryItem.js";
import { LiveArea } from "./LiveArea.js";

/**
 * The conversation in full-screen mode: the window of items that fits (see
 * state/viewport.ts), the live turn under it while the window reaches the
 * end, and the Agent-mode selection as a bar in the margin.
 */
export function ChatViewport({
  state,
  window,
  width,
  height,
  runStartedAt,
}: {
  state: UiState;
  window: ChatWindow;
  width: number;
  height: number;
  runStartedAt: number;
}) {
  const items = state.items.slice(window.start, window.end);
  const above = window.start;
  const below = state.items.length - window.end;
  const liveSelected =
    state.selected !== undefined && state.selected >= state.items.length
      ? state.selected - state.items.length
      : undefined;
  return (
    <Box flexDirection="column" width={width} flexShrink={0} overflow="hidden">
      <Box
        flexDirection="column"
        flexGrow={1}
        overflow="hidden"
        justifyContent={window.anchor === "bottom" ? "flex-end" : "flex-start"}
      >
        {items.map((item, offset) => (
          <Entry
            key={item.id}
            item={item}
            first={offset === 0}
            selected={state.selected === window.start + offset}
            expanded={state.verbose || state.expanded.includes(item.id)}
            width={width - 2}
          />
        ))}
        {window.atEnd && (
          <Box paddingLeft={liveSelected === undefined ? 2 : 0}>
            {liveSelected !== undefined && <Text color="cyan">▌ </Text>}
            <LiveArea
              live={state.live}
              running={state.running}
              runStartedAt={runStartedAt}
              verbose={state.verbose}
              width={width - 2}
              maxRows={Math.max(3, height - 4)}
            />
          </Box>
        )}
      </Box>
      {(above > 0 || below > 0) && (
        <Text dimColor wrap="truncate-end">
          {`  ${above} above · ${below} below · pgup/pgdn scroll${state.agentMode ? "" : " · ctrl+g select"}`}
        </Text>
      )}
    </Box>
  );
}

const Entry = memo(function Entry({
  item,
  first,
  selected,
  expanded,
  width,
}: {
  item: ChatItem;
  first: boolean;
  selected: boolean;
  expanded: boolean;
  width: number;
}) {
  const gap = first || item.kind === "tool" ? 0 : 1;
  return (
    <Box marginTop={gap} flexShrink={0}>
      <Text color="cyan">{selected ? "▌ " : "  "}</Text>
      <Box flexDirection="column" width={width} flexShrink={0}>
        <HistoryItem item={item} verbose={expanded} width={width} />
      </Box>
    </Box>
  );
});
