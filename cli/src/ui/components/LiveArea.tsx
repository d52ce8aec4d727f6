import { Box, Text } from "ink";
import { clipToRows } from "../state/clip.js";
import type { LiveTurn } from "../state/types.js";
import { Markdown } from "./Markdown.js";
import { Spinner } from "./Spinner.js";
import { ToolCard } from "./ToolCard.js";

/** The turn still in progress: the only part of the conversation that re-renders while streaming. */
export function LiveArea({
  live,
  running,
  runStartedAt,
  verbose,
  width,
  maxRows,
}: {
  live: LiveTurn;
  running: boolean;
  runStartedAt: number;
  verbose: boolean;
  width: number;
  /** Rows the streaming text may take; older lines of a longer tail wait off screen until committed. */
  maxRows: number;
}) {
  const tail = clipToRows(live.text, Math.max(10, width - 2), maxRows).text;
  const idle = live.text === "" && live.thinking === undefined && live.tools.length === 0;
  if (idle && !running) return null;
  return (
    <Box flexDirection="column" marginTop={1}>
      {live.thinking && (
        <Text dimColor italic>
          {"✻ Thinking… "}
          <Spinner since={live.thinking.startedAt} color="gray" />
        </Text>
      )}
      {tail !== "" && <Markdown text={tail} />}
      {live.tools.map((card) => (
        <ToolCard key={card.id} card={card} expanded={verbose} width={width} />
      ))}
      {running && idle && (
        <Text color="gray">
          <Spinner since={runStartedAt} /> working
        </Text>
      )}
    </Box>
  );
}
