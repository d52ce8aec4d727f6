import { Box, Text } from "ink";
import type { EditorState } from "../state/editor.js";
import { EditorText, type Suggestion, SuggestionList } from "./InputBox.js";

/** The command palette (Ctrl+P): a query and the matching commands, recent first. */
export function Palette({
  query,
  items,
  selected,
}: {
  query: EditorState;
  items: readonly Suggestion[];
  selected: number;
}) {
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="magenta" paddingX={1}>
      <Box>
        <Text color="magenta" bold>
          {"⌘ "}
        </Text>
        <EditorText editor={query} placeholder="type to search commands" focused />
      </Box>
      {items.length === 0 ? (
        <Text dimColor>no match</Text>
      ) : (
        <SuggestionList suggestions={items} selected={selected} />
      )}
      <Text dimColor>↑/↓ select · enter run · esc close</Text>
    </Box>
  );
}
