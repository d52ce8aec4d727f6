import { Box, Text } from "ink";
import { memo, useMemo } from "react";
import { type DiffLine, diffStats, parseUnifiedDiff, type SideCell, sideBySide } from "../state/diff-rows.js";

/** Side by side from this width on; unified below it. */
export const SIDE_BY_SIDE_MIN_WIDTH = 120;

export const DiffView = memo(function DiffView({
  diff,
  width,
  maxLines,
  layout = "auto",
}: {
  diff: string;
  width: number;
  maxLines: number;
  layout?: "auto" | "unified" | "split";
}) {
  const lines = useMemo(() => parseUnifiedDiff(diff), [diff]);
  const stats = diffStats(lines);
  const split = layout === "split" || (layout === "auto" && width >= SIDE_BY_SIDE_MIN_WIDTH);
  return (
    <Box flexDirection="column">
      {split ? (
        <Split lines={lines} width={width} maxLines={maxLines} />
      ) : (
        <Unified lines={lines} maxLines={maxLines} />
      )}
      <Text dimColor>
        <Text color="green">+{stats.added}</Text> <Text color="red">-{stats.removed}</Text>
      </Text>
    </Box>
  );
});

function Unified({ lines, maxLines }: { lines: readonly DiffLine[]; maxLines: number }) {
  const shown = lines.slice(0, maxLines);
  return (
    <Box flexDirection="column">
      {shown.map((line, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a diff's lines are positional
        <UnifiedLine key={index} line={line} />
      ))}
      <More hidden={lines.length - shown.length} />
    </Box>
  );
}

function UnifiedLine({ line }: { line: DiffLine }) {
  switch (line.type) {
    case "file":
      return <Text bold>{line.text}</Text>;
    case "hunk":
      return <Text color="cyan">{line.text}</Text>;
    case "add":
      return <Text color="green">{`${num(line.newNo)} +${line.text}`}</Text>;
    case "remove":
      return <Text color="red">{`${num(line.oldNo)} -${line.text}`}</Text>;
    case "context":
      return <Text dimColor>{`${num(line.newNo)}  ${line.text}`}</Text>;
    case "meta":
      return <Text dimColor>{line.text}</Text>;
  }
}

function Split({ lines, width, maxLines }: { lines: readonly DiffLine[]; width: number; maxLines: number }) {
  const rows = useMemo(() => sideBySide(lines), [lines]);
  const shown = rows.slice(0, maxLines);
  const column = Math.max(10, Math.floor((width - 3) / 2));
  return (
    <Box flexDirection="column">
      {shown.map((row, index) => {
        if (row.type !== "pair") {
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: positional rows
            <Text key={index} bold={row.type === "file"} color={row.type === "hunk" ? "cyan" : undefined}>
              {row.text}
            </Text>
          );
        }
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: positional rows
          <Box key={index}>
            <Cell cell={row.left} width={column} color="red" />
            <Text dimColor> │ </Text>
            <Cell cell={row.right} width={column} color="green" />
          </Box>
        );
      })}
      <More hidden={rows.length - shown.length} />
    </Box>
  );
}

function Cell({ cell, width, color }: { cell: SideCell | undefined; width: number; color: string }) {
  if (!cell) return <Text>{" ".repeat(width)}</Text>;
  const text = fitToWidth(`${num(cell.no)} ${cell.text}`, width);
  return cell.change ? <Text color={color}>{text}</Text> : <Text dimColor>{text}</Text>;
}

function More({ hidden }: { hidden: number }) {
  return hidden > 0 ? <Text dimColor>{`… ${hidden} more lines`}</Text> : null;
}

const num = (value: number) => String(value).padStart(4);

function fitToWidth(text: string, width: number): string {
  const flat = text.replace(/\t/g, "  ");
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat.padEnd(width);
}
