import type { PermissionMode } from "@toad/core";
import { Box, Text } from "ink";
import type { UiState } from "../state/types.js";

const MODE_COLOR: Record<PermissionMode, string> = {
  plan: "blue",
  ask: "gray",
  "auto-edit": "yellow",
  "full-auto": "red",
};

/** Always on screen: model, mode, cost and context used. */
export function StatusLine({
  state,
  contextWindow,
  hint,
}: {
  state: Pick<UiState, "model" | "activeModel" | "mode" | "usage" | "running" | "sessionId">;
  contextWindow: number | undefined;
  hint: string | undefined;
}) {
  const model = state.activeModel ?? state.model;
  const { contextTokens, costUsd } = state.usage;
  const share = contextWindow ? Math.min(100, Math.round((contextTokens / contextWindow) * 100)) : undefined;
  const contextColor = share === undefined ? "gray" : share >= 90 ? "red" : share >= 70 ? "yellow" : "gray";
  return (
    <Box justifyContent="space-between">
      <Text wrap="truncate-end">
        <Text color="cyan">{model}</Text>
        <Text dimColor> · </Text>
        <Text color={MODE_COLOR[state.mode]}>{state.mode}</Text>
        <Text dimColor> · </Text>
        <Text>{formatCost(costUsd)}</Text>
        <Text dimColor> · </Text>
        <Text color={contextColor}>
          {`ctx ${formatTokens(contextTokens)}${contextWindow ? `/${formatTokens(contextWindow)} (${share}%)` : ""}`}
        </Text>
      </Text>
      <Text dimColor wrap="truncate-start">
        {hint ??
          (state.running ? "esc interrupt · ctrl+p commands" : "/ commands · @ files · ctrl+p palette")}
      </Text>
    </Box>
  );
}

export function formatCost(usd: number): string {
  return usd < 0.01 && usd > 0 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

export function formatTokens(tokens: number): string {
  if (tokens >= 1_000_000) return `${(tokens / 1_000_000).toFixed(1)}M`;
  if (tokens >= 1000) return `${(tokens / 1000).toFixed(tokens >= 10_000 ? 0 : 1)}k`;
  return String(tokens);
}
