import * as ed from "./editor.js";

/**
 * Opt-in vim keys for the prompt editor (`/vim`, or TOAD_VIM=1): Normal,
 * Insert and Visual modes, and `:` lines that run commands (`:ai fix the bug`
 * sends a prompt, `:mode plan` is `/mode plan`, `:q` quits). Pure: a key and
 * the state in, the new state out.
 */
export type VimMode = "insert" | "normal" | "visual";

export interface VimState {
  mode: VimMode;
  editor: ed.EditorState;
  /** A first key waiting for its second (`d` of `dd`, `c` of `cc`). */
  pending: string | undefined;
  /** Visual mode: where the selection started (it runs to the cursor, both included). */
  anchor?: number;
  /** What `y`, `d` and `x` took last; `p` puts it back. */
  register?: string;
}

export type VimResult = VimState;

/** The selected range of Visual mode, as [start, end) offsets. */
export function visualRange(
  anchor: number | undefined,
  editor: ed.EditorState,
): [number, number] | undefined {
  if (anchor === undefined) return undefined;
  const { cursor, text } = editor;
  const start = Math.min(anchor, cursor);
  const end = Math.min(text.length, Math.max(anchor, cursor) + 1);
  return [start, end];
}

/** A key in Visual mode: motions extend the selection; d/x, c and y act on it. */
export function vimVisualKey(state: VimState, input: string): VimResult {
  const range = visualRange(state.anchor, state.editor);
  const { editor } = state;
  const leave = (next: ed.EditorState, mode: VimMode, register = state.register): VimResult => ({
    mode,
    editor: next,
    pending: undefined,
    ...(register !== undefined && { register }),
  });
  if (range && (input === "d" || input === "x" || input === "c" || input === "y")) {
    const [start, end] = range;
    const taken = editor.text.slice(start, end);
    if (input === "y") return leave({ ...editor, cursor: start }, "normal", taken);
    const text = editor.text.slice(0, start) + editor.text.slice(end);
    const cursor = Math.min(start, Math.max(0, text.length - (input === "c" ? 0 : 1)));
    return leave({ text, cursor }, input === "c" ? "insert" : "normal", taken);
  }
  if (input === "v") return leave(editor, "normal");
  const moved = vimNormalKey({ ...state, mode: "normal", anchor: undefined }, input);
  // Only motions count here: an editing key of Normal mode does nothing in Visual mode.
  if (moved.editor.text !== editor.text || moved.mode !== "normal") return state;
  return { ...state, editor: moved.editor, pending: moved.pending };
}

/** A key in Normal mode. Unknown keys change nothing (they are not typed into the prompt). */
export function vimNormalKey(state: VimState, input: string): VimResult {
  const { editor } = state;
  const keep = state.register !== undefined ? { register: state.register } : {};
  const to = (next: ed.EditorState, mode: VimMode = "normal"): VimResult => ({
    mode,
    editor: next,
    pending: undefined,
    ...keep,
  });
  if (state.pending !== undefined) {
    const pair = state.pending + input;
    if (pair === "dd") return to(deleteLine(editor));
    if (pair === "cc") return to(ed.deleteToLineEnd(ed.lineStart(editor)), "insert");
    if (pair === "gg") return to({ ...editor, cursor: 0 });
    return { ...state, pending: undefined };
  }
  switch (input) {
    case "h":
      return to(ed.left(editor));
    case "l":
      return to(ed.right(editor));
    case "j":
      return to(ed.down(editor) ?? editor);
    case "k":
      return to(ed.up(editor) ?? editor);
    case "w":
      return to(nextWordStart(editor));
    case "b":
      return to(ed.wordLeft(editor));
    case "0":
    case "^":
      return to(ed.lineStart(editor));
    case "$":
      return to(ed.lineEnd(editor));
    case "G":
      return to({ ...editor, cursor: editor.text.length });
    case "x":
      return to(ed.deleteForward(editor));
    case "X":
      return to(ed.backspace(editor));
    case "D":
      return to(ed.deleteToLineEnd(editor));
    case "C":
      return to(ed.deleteToLineEnd(editor), "insert");
    case "i":
      return to(editor, "insert");
    case "a":
      return to(ed.right(editor), "insert");
    case "I":
      return to(ed.lineStart(editor), "insert");
    case "A":
      return to(ed.lineEnd(editor), "insert");
    case "o":
      return to(ed.insert(ed.lineEnd(editor), "\n"), "insert");
    case "O": {
      const start = ed.lineStart(editor);
      return to(ed.left(ed.insert(start, "\n")), "insert");
    }
    case "v":
      return { ...to(editor, "visual"), anchor: editor.cursor };
    case "p":
      return state.register ? to(ed.left(ed.insert(ed.right(editor), state.register))) : to(editor);
    case "d":
    case "c":
    case "g":
      return { ...state, pending: input };
    default:
      return { ...state, pending: undefined };
  }
}

/** Vim's `w`: past the rest of this word and the blanks after it. */
function nextWordStart(editor: ed.EditorState): ed.EditorState {
  const { text } = editor;
  let index = editor.cursor;
  while (index < text.length && !/\s/.test(text[index] ?? "")) index++;
  while (index < text.length && /\s/.test(text[index] ?? "")) index++;
  return { ...editor, cursor: index };
}

function deleteLine(editor: ed.EditorState): ed.EditorState {
  const start = ed.lineStart(editor).cursor;
  const end = ed.lineEnd(editor).cursor;
  const text = editor.text.slice(0, start) + editor.text.slice(Math.min(editor.text.length, end + 1));
  return { text, cursor: Math.min(start, text.length) };
}

/** A `:` line as the app runs it: a prompt, a slash command, or quit. */
export type ColonCommand =
  | { kind: "prompt"; text: string }
  | { kind: "slash"; line: string }
  | { kind: "quit" };

export function parseColonLine(line: string): ColonCommand | undefined {
  const body = line.replace(/^:/, "").trim();
  if (body === "") return undefined;
  if (body === "q" || body === "q!" || body === "quit" || body === "qa") return { kind: "quit" };
  const ai = /^ai\s+([\s\S]+)$/.exec(body);
  if (ai?.[1]) return { kind: "prompt", text: ai[1] };
  return { kind: "slash", line: `/${body}` };
}
