/**
 * The input line's text model: a string and a cursor (UTF-16 offset). Pure
 * functions, so every key's effect is unit-tested without a terminal.
 */
export interface EditorState {
  text: string;
  cursor: number;
}

export const emptyEditor: EditorState = { text: "", cursor: 0 };

export function editorOf(text: string): EditorState {
  return { text, cursor: text.length };
}

export function insert(state: EditorState, input: string): EditorState {
  const clean = input.replace(/\r\n?/g, "\n");
  return {
    text: state.text.slice(0, state.cursor) + clean + state.text.slice(state.cursor),
    cursor: state.cursor + clean.length,
  };
}

export function backspace(state: EditorState): EditorState {
  if (state.cursor === 0) return state;
  const step = charBefore(state.text, state.cursor);
  return {
    text: state.text.slice(0, state.cursor - step) + state.text.slice(state.cursor),
    cursor: state.cursor - step,
  };
}

export function deleteForward(state: EditorState): EditorState {
  if (state.cursor >= state.text.length) return state;
  const step = charAfter(state.text, state.cursor);
  return {
    text: state.text.slice(0, state.cursor) + state.text.slice(state.cursor + step),
    cursor: state.cursor,
  };
}

export function left(state: EditorState): EditorState {
  return { ...state, cursor: Math.max(0, state.cursor - charBefore(state.text, state.cursor)) };
}

export function right(state: EditorState): EditorState {
  return {
    ...state,
    cursor: Math.min(state.text.length, state.cursor + charAfter(state.text, state.cursor)),
  };
}

export function lineStart(state: EditorState): EditorState {
  return { ...state, cursor: state.text.lastIndexOf("\n", state.cursor - 1) + 1 };
}

export function lineEnd(state: EditorState): EditorState {
  const end = state.text.indexOf("\n", state.cursor);
  return { ...state, cursor: end === -1 ? state.text.length : end };
}

/** The cursor one line up, same column as far as the line allows; `undefined` on the first line. */
export function up(state: EditorState): EditorState | undefined {
  const { line, column } = position(state);
  if (line === 0) return undefined;
  return { ...state, cursor: offsetOf(state.text, line - 1, column) };
}

export function down(state: EditorState): EditorState | undefined {
  const { line, column } = position(state);
  if (line >= state.text.split("\n").length - 1) return undefined;
  return { ...state, cursor: offsetOf(state.text, line + 1, column) };
}

export function wordLeft(state: EditorState): EditorState {
  let index = state.cursor;
  while (index > 0 && /\s/.test(state.text[index - 1] ?? "")) index--;
  while (index > 0 && !/\s/.test(state.text[index - 1] ?? "")) index--;
  return { ...state, cursor: index };
}

export function wordRight(state: EditorState): EditorState {
  let index = state.cursor;
  const { text } = state;
  while (index < text.length && /\s/.test(text[index] ?? "")) index++;
  while (index < text.length && !/\s/.test(text[index] ?? "")) index++;
  return { ...state, cursor: index };
}

/** Ctrl+W: deletes the word before the cursor. */
export function deleteWordBack(state: EditorState): EditorState {
  const start = wordLeft(state).cursor;
  return { text: state.text.slice(0, start) + state.text.slice(state.cursor), cursor: start };
}

/** Ctrl+U: deletes from the line start to the cursor. */
export function deleteToLineStart(state: EditorState): EditorState {
  const start = lineStart(state).cursor;
  return { text: state.text.slice(0, start) + state.text.slice(state.cursor), cursor: start };
}

/** Ctrl+K: deletes from the cursor to the line end. */
export function deleteToLineEnd(state: EditorState): EditorState {
  const end = lineEnd(state).cursor;
  const stop = end === state.cursor && end < state.text.length ? end + 1 : end;
  return { text: state.text.slice(0, state.cursor) + state.text.slice(stop), cursor: state.cursor };
}

export function position(state: EditorState): { line: number; column: number } {
  const before = state.text.slice(0, state.cursor);
  const line = before.split("\n").length - 1;
  return { line, column: state.cursor - (before.lastIndexOf("\n") + 1) };
}

function offsetOf(text: string, line: number, column: number): number {
  const lines = text.split("\n");
  let offset = 0;
  for (let index = 0; index < line; index++) offset += (lines[index]?.length ?? 0) + 1;
  return offset + Math.min(column, lines[line]?.length ?? 0);
}

/** The word the cursor is in or just after (for `@` and `/` completion). */
export function wordAtCursor(state: EditorState): { start: number; word: string } {
  let start = state.cursor;
  while (start > 0 && !/\s/.test(state.text[start - 1] ?? "")) start--;
  return { start, word: state.text.slice(start, state.cursor) };
}

/** Replaces the word at the cursor (completion). */
export function replaceWord(state: EditorState, replacement: string): EditorState {
  const { start } = wordAtCursor(state);
  let end = state.cursor;
  while (end < state.text.length && !/\s/.test(state.text[end] ?? "")) end++;
  const text = state.text.slice(0, start) + replacement + state.text.slice(end);
  return { text, cursor: start + replacement.length };
}

const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

function charBefore(text: string, cursor: number): number {
  return cursor >= 2 && isLowSurrogate(text.charCodeAt(cursor - 1)) ? 2 : 1;
}

function charAfter(text: string, cursor: number): number {
  return isLowSurrogate(text.charCodeAt(cursor + 1)) ? 2 : 1;
}
