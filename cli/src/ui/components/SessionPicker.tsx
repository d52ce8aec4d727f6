import type { SessionRecord } from "@toad/store";
import { Box, Text } from "ink";
import { formatCost } from "./StatusLine.js";

const VISIBLE = 10;

/** Choose a stored session to resume. */
export function SessionPicker({
  sessions,
  selected,
  currentId,
}: {
  sessions: readonly SessionRecord[] | undefined;
  selected: number;
  currentId: string | undefined;
}) {
  const start = Math.max(0, Math.min(selected - VISIBLE + 1, (sessions?.length ?? 0) - VISIBLE));
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1}>
      <Text bold color="cyan">
        Resume a session
      </Text>
      {sessions === undefined && <Text dimColor>loading…</Text>}
      {sessions?.length === 0 && <Text dimColor>No sessions in this directory yet.</Text>}
      {sessions?.slice(start, start + VISIBLE).map((session, index) => {
        const active = start + index === selected;
        return (
          <Text key={session.id} wrap="truncate-end">
            <Text color={active ? "cyan" : undefined} bold={active}>
              {`${active ? "›" : " "} ${session.title || "(untitled)"}`}
            </Text>
            <Text dimColor>
              {`  ${new Date(session.updatedAt).toLocaleString()} · ${formatCost(session.costUsd)} · ${session.id}${
                session.id === currentId ? " (current)" : ""
              }`}
            </Text>
          </Text>
        );
      })}
      <Text dimColor>↑/↓ select · enter resume · esc close</Text>
    </Box>
  );
}
