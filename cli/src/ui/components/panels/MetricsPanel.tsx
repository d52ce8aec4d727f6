import { Box, Text } from "ink";
import type { UiState } from "../../state/types.js";
import { formatCost, formatTokens } from "../StatusLine.js";

/** Model, tokens in and out, cache hit share, cost and context used. */
export function MetricsPanel({
  state,
  contextWindow,
  height,
}: {
  state: Pick<UiState, "usage" | "model" | "activeModel">;
  contextWindow: number | undefined;
  height: number;
}) {
  const { usage } = state;
  const prompt = usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
  const cached = prompt === 0 ? 0 : Math.round((usage.cacheReadTokens / prompt) * 100);
  const share = contextWindow
    ? ` (${Math.min(100, Math.round((usage.contextTokens / contextWindow) * 100))}%)`
    : "";
  const rows: [string, string][] = [
    ["model", state.activeModel ?? state.model],
    ["tokens in", formatTokens(prompt)],
    ["tokens out", formatTokens(usage.outputTokens)],
    ["cache hits", `${cached}%`],
    ["cost", formatCost(usage.costUsd)],
    [
      "context",
      `${formatTokens(usage.contextTokens)}${contextWindow ? ` / ${formatTokens(contextWindow)}${share}` : ""}`,
    ],
    ["requests", String(usage.requests)],
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
