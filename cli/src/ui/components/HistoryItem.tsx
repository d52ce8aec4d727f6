import { SUMMARY_OPEN } from "@toad/llm";
import { Box, Text } from "ink";
import { memo } from "react";
import { splitAttachments } from "../state/attachments.js";
import type { ChatItem } from "../state/types.js";
import { DiffView } from "./DiffView.js";
import { Markdown } from "./Markdown.js";
import { formatDuration } from "./Spinner.js";
import { ToolCard } from "./ToolCard.js";

/** One finished history item; printed once through `<Static>`. */
export const HistoryItem = memo(function HistoryItem({
  item,
  verbose,
  width,
}: {
  item: ChatItem;
  verbose: boolean;
  width: number;
}) {
  switch (item.kind) {
    case "session":
      return (
        <Text dimColor>
          {`── session ${item.sessionId.slice(0, 12)} · ${item.model} · ${item.mode} · ${item.cwd}`}
        </Text>
      );
    case "user":
      return item.text.startsWith(SUMMARY_OPEN) && !verbose ? (
        <Text
          dimColor
        >{`↻ Summary of the earlier conversation (${item.text.split("\n").length - 2} lines; ctrl+o shows it)`}</Text>
      ) : (
        <UserMessage text={item.text} />
      );
    case "markdown":
      return <Markdown text={item.text} />;
    case "thinking":
      return (
        <Thinking text={item.text} durationMs={item.durationMs} redacted={item.redacted} expanded={verbose} />
      );
    case "tool":
      return <ToolCard card={item} expanded={verbose} width={width} />;
    case "notice":
      return (
        <Text color={item.level === "error" ? "red" : item.level === "warn" ? "yellow" : "gray"}>
          {item.level === "error" ? `✗ ${item.text}` : item.text}
        </Text>
      );
    case "diff":
      return (
        <Box flexDirection="column">
          <Text bold>{item.title}</Text>
          {item.diff === "" ? (
            <Text dimColor>no changes</Text>
          ) : (
            <DiffView diff={item.diff} width={width} maxLines={verbose ? 10_000 : 400} />
          )}
        </Box>
      );
  }
});

export function UserMessage({ text }: { text: string }) {
  const { text: typed, files } = splitAttachments(text);
  return (
    <Box flexDirection="column">
      <Box>
        <Text color="blueBright" bold>
          {"› "}
        </Text>
        <Box flexShrink={1}>
          <Text color="whiteBright">{typed}</Text>
        </Box>
      </Box>
      {files.length > 0 && <Text dimColor>{`  attached: ${files.join(", ")}`}</Text>}
    </Box>
  );
}

export function Thinking({
  text,
  durationMs,
  redacted,
  expanded,
}: {
  text: string;
  durationMs: number;
  redacted: boolean;
  expanded: boolean;
}) {
  const label = `✻ Thought for ${formatDuration(durationMs)}${redacted ? " (redacted)" : ""}`;
  if (!expanded || redacted) return <Text dimColor italic>{`${label}  (ctrl+o to expand)`}</Text>;
  return (
    <Box flexDirection="column">
      <Text dimColor italic>
        {label}
      </Text>
      <Box paddingLeft={2}>
        <Text dimColor italic>
          {text.trim()}
        </Text>
      </Box>
    </Box>
  );
}
