import { Box, Text } from "ink";
import type { EditorState } from "../state/editor.js";

export interface Suggestion {
  label: string;
  detail?: string;
}

/** The prompt editor: multi-line text with a visible cursor, and the completion list under it. */
export function InputBox({
  editor,
  placeholder,
  focused,
  suggestions,
  selected,
  queued,
  selection,
}: {
  editor: EditorState;
  placeholder: string;
  focused: boolean;
  suggestions: readonly Suggestion[];
  selected: number;
  queued: readonly string[];
  /** Vim Visual mode's selection, [start, end). */
  selection?: [number, number] | undefined;
}) {
  return (
    <Box flexDirection="column">
      {queued.map((prompt, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the queue is positional
        <Text key={index} dimColor wrap="truncate-end">{`  queued: ${prompt.replace(/\s+/g, " ")}`}</Text>
      ))}
      <Box borderStyle="round" borderColor={focused ? "blueBright" : "gray"} paddingX={1}>
        <Text color="blueBright" bold>
          {"› "}
        </Text>
        <Box flexShrink={1} flexGrow={1}>
          {selection && focused ? (
            <Text>
              {editor.text.slice(0, selection[0])}
              <Text inverse color="magenta">
                {editor.text.slice(selection[0], selection[1])}
              </Text>
              {editor.text.slice(selection[1])}
            </Text>
          ) : (
            <EditorText editor={editor} placeholder={placeholder} focused={focused} />
          )}
        </Box>
      </Box>
      {suggestions.length > 0 && <SuggestionList suggestions={suggestions} selected={selected} />}
    </Box>
  );
}

export function EditorText({
  editor,
  placeholder,
  focused,
}: {
  editor: EditorState;
  placeholder: string;
  focused: boolean;
}) {
  if (editor.text === "") {
    return (
      <Text>
        {focused && <Text inverse> </Text>}
        <Text dimColor>{placeholder}</Text>
      </Text>
    );
  }
  const before = editor.text.slice(0, editor.cursor);
  const at = editor.text[editor.cursor];
  const after = editor.text.slice(editor.cursor + 1);
  if (!focused) return <Text>{editor.text}</Text>;
  // At a line break or the end, the cursor is a highlighted space before it.
  const cursor = at === undefined || at === "\n" ? " " : at;
  const rest = at === "\n" ? `\n${after}` : after;
  return (
    <Text>
      {before}
      <Text inverse>{cursor}</Text>
      {rest}
    </Text>
  );
}

const VISIBLE = 8;

export function SuggestionList({
  suggestions,
  selected,
}: {
  suggestions: readonly Suggestion[];
  selected: number;
}) {
  const start = Math.max(0, Math.min(selected - VISIBLE + 1, suggestions.length - VISIBLE));
  const shown = suggestions.slice(start, start + VISIBLE);
  return (
    <Box flexDirection="column" paddingX={2}>
      {shown.map((suggestion, index) => {
        const active = start + index === selected;
        return (
          <Text key={suggestion.label} wrap="truncate-end">
            <Text color={active ? "blueBright" : undefined} bold={active}>
              {`${active ? "›" : " "} ${suggestion.label}`}
            </Text>
            {suggestion.detail !== undefined && <Text dimColor>{`  ${suggestion.detail}`}</Text>}
          </Text>
        );
      })}
      {suggestions.length > VISIBLE && (
        <Text dimColor>{`  ${selected + 1}/${suggestions.length} · tab to complete`}</Text>
      )}
    </Box>
  );
}
