import { Box, Text } from "ink";
import type { EditorState } from "../state/editor.js";
import type { ToolCardItem } from "../state/types.js";
import { DiffView } from "./DiffView.js";
import { EditorText } from "./InputBox.js";

/** A pending approval: what the call will do, and the keys that answer it. */
export function ApprovalPrompt({
  card,
  width,
  maxLines,
  editing,
  editError,
  agentMode = false,
}: {
  card: ToolCardItem;
  width: number;
  maxLines: number;
  editing: EditorState | undefined;
  editError: string | undefined;
  /** Agent mode answers with a (accept), d (dismiss), e (edit). */
  agentMode?: boolean;
}) {
  const approval = card.approval;
  if (!approval) return null;
  const question =
    approval.kind === "edit"
      ? "Apply this edit?"
      : approval.kind === "command"
        ? "Run this command?"
        : "Allow this?";
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="yellow" paddingX={1} marginTop={1}>
      <Text>
        <Text color="yellow" bold>
          {question}
        </Text>
        <Text>{` ${card.name}: ${approval.summary}`}</Text>
      </Text>
      {approval.command !== undefined && (
        <Text>
          <Text color="gray">$ </Text>
          <Text bold>{approval.command}</Text>
        </Text>
      )}
      {approval.diff !== undefined && approval.diff !== "" && (
        <DiffView diff={approval.diff} width={width - 4} maxLines={maxLines} />
      )}
      {editing ? (
        <Box flexDirection="column" marginTop={1}>
          <Text dimColor>
            {approval.command !== undefined ? "Edit the command" : "Edit the arguments (JSON)"} · enter runs
            it · alt+enter new line · esc back
          </Text>
          <Box borderStyle="single" borderColor="blueBright" paddingX={1}>
            <EditorText editor={editing} placeholder="" focused />
          </Box>
          {editError !== undefined && <Text color="red">{editError}</Text>}
        </Box>
      ) : agentMode ? (
        <Text>
          <Key k="a" label="accept" /> <Key k="d" label="dismiss" /> <Key k="e" label="edit then run" />{" "}
          <Key k="A" label={`always (${card.name})`} /> <Key k="esc" label="interrupt" />
        </Text>
      ) : (
        <Text>
          <Key k="y" label="yes" /> <Key k="n" label="no" /> <Key k="a" label={`always (${card.name})`} />{" "}
          <Key k="e" label="edit then run" /> <Key k="esc" label="interrupt" />
        </Text>
      )}
    </Box>
  );
}

function Key({ k, label }: { k: string; label: string }) {
  return (
    <Text>
      <Text color="yellow" bold>
        {k}
      </Text>
      <Text dimColor>{` ${label} `}</Text>
    </Text>
  );
}
