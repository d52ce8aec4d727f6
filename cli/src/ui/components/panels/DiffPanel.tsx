import { Box, Text } from "ink";
import { shownEdit } from "../../state/edit-diff.js";
import type { UiState } from "../../state/types.js";
import { DiffView } from "../DiffView.js";

/** The selected edit's diff (Agent mode), else the newest edit's. */
export function DiffPanel({ state, width, height }: { state: UiState; width: number; height: number }) {
  const edit = shownEdit(state);
  if (!edit) return <Text dimColor>no edits yet</Text>;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end" color={edit.pending ? "yellow" : "gray"}>
        {`${edit.pending ? "proposed · " : ""}${edit.target}`}
      </Text>
      <DiffView diff={edit.diff} width={width} maxLines={Math.max(1, height - 2)} layout="unified" />
    </Box>
  );
}
