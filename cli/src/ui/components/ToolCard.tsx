import { Box, Text } from "ink";
import { memo } from "react";
import { describeCall, describeResult } from "../state/tool-summary.js";
import type { ToolCardItem } from "../state/types.js";
import { DiffView } from "./DiffView.js";
import { formatDuration, Spinner } from "./Spinner.js";

const RESULT_LINES = 40;

/** One tool call: status, name, what it acts on, time, and its result (one line, or in full when expanded). */
export const ToolCard = memo(function ToolCard({
  card,
  expanded,
  width,
}: {
  card: ToolCardItem;
  expanded: boolean;
  width: number;
}) {
  const target = describeCall(card.name, card.approval?.editedArgumentsJson ?? card.argumentsJson);
  const live = card.status === "streaming" || card.status === "pending" || card.status === "running";
  return (
    <Box flexDirection="column">
      <Box>
        <StatusGlyph card={card} />
        <Text bold> {card.name}</Text>
        {target !== "" && <Text color="gray"> {target}</Text>}
        {live ? (
          <Text>
            {"  "}
            <Spinner since={card.startedAt} />
          </Text>
        ) : (
          card.durationMs !== undefined && <Text dimColor>{`  ${formatDuration(card.durationMs)}`}</Text>
        )}
      </Box>
      <Result card={card} expanded={expanded} width={width} />
    </Box>
  );
});

function StatusGlyph({ card }: { card: ToolCardItem }) {
  switch (card.status) {
    case "done":
      return <Text color="green">✓</Text>;
    case "error":
      return <Text color="red">✗</Text>;
    case "denied":
      return <Text color="yellow">⊘</Text>;
    case "approval":
      return <Text color="yellow">?</Text>;
    default:
      return <Text color="cyan">●</Text>;
  }
}

function Result({ card, expanded, width }: { card: ToolCardItem; expanded: boolean; width: number }) {
  if (card.status === "approval") return <Line text="waiting for your approval" color="yellow" />;
  if (card.status === "streaming") {
    const size = card.argumentsJson.length;
    return size > 200 ? <Line text={`writing… ${size} chars`} /> : null;
  }
  if (card.output === undefined) return null;
  const isError = card.status === "error" || card.status === "denied";
  const summary = describeResult(card.name, card.output, isError);
  const diff = card.approval?.diff;
  if (!expanded) {
    return (
      <Line text={summary} {...(isError ? { color: card.status === "denied" ? "yellow" : "red" } : {})} />
    );
  }
  // Tabs would be measured as one column and drawn as up to eight: the layout needs spaces.
  const lines = card.output.replace(/\t/g, "  ").split("\n");
  const shown = lines.slice(0, RESULT_LINES);
  return (
    <Box flexDirection="column" paddingLeft={2}>
      {diff !== undefined && diff !== "" && (
        <DiffView diff={diff} width={width - 2} maxLines={RESULT_LINES} />
      )}
      <Text color={isError ? "red" : "gray"}>{shown.join("\n")}</Text>
      {lines.length > shown.length && <Text dimColor>{`… ${lines.length - shown.length} more lines`}</Text>}
    </Box>
  );
}

function Line({ text, color }: { text: string; color?: string }) {
  if (text === "") return null;
  return (
    <Box paddingLeft={2}>
      <Text color={color ?? "gray"} wrap="truncate-end">
        {`⎿ ${text}`}
      </Text>
    </Box>
  );
}
