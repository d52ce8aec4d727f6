import { useMemo, useRef } from "react";
import type { SlashCommand } from "../commands/types.js";
import type { Suggestion } from "../components/InputBox.js";
import * as ed from "../state/editor.js";
import { fuzzyFilter } from "../state/fuzzy.js";
import { type HistoryCursor, historyDown, historyUp } from "../state/history.js";
import { type VimMode, vimNormalKey, vimVisualKey, visualRange } from "../state/vim.js";
import { isBackspace, type Key, printable } from "./keys.js";
import { useLatest } from "./useLatest.js";

export interface PromptInputOptions {
  commands: readonly SlashCommand[];
  history: () => readonly string[];
  /** Files for `@` completion; loaded on the first `@`. */
  files: () => readonly string[] | undefined;
  onSubmit(text: string): void;
  /** Vim keys (Normal and Insert modes). */
  vim: boolean;
}

type Completion = { kind: "command" | "file"; items: Suggestion[] };

/** The prompt editor with history and `/` and `@` completion. */
export function usePromptInput(options: PromptInputOptions) {
  const [editor, setEditor] = useLatest<ed.EditorState>(ed.emptyEditor);
  const [selected, setSelected] = useLatest(0);
  const [dismissed, setDismissed] = useLatest<string | undefined>(undefined);
  const [vimMode, setVimMode] = useLatest<VimMode>("insert");
  const vimPending = useRef<string | undefined>(undefined);
  const vimAnchor = useRef<number | undefined>(undefined);
  const vimRegister = useRef<string | undefined>(undefined);
  const historyCursor = useRef<HistoryCursor | undefined>(undefined);
  const opts = useRef(options);
  opts.current = options;

  const completion = useMemo(
    () =>
      dismissed.current === editor.current.text ? undefined : completionFor(editor.current, opts.current),
    [editor.current, dismissed.current],
  );
  const completionRef = useRef(completion);
  completionRef.current = completion;

  const change = (next: ed.EditorState) => {
    setEditor(next);
    setSelected(0);
    historyCursor.current = undefined;
  };

  const accept = (item: Suggestion, kind: Completion["kind"]) => {
    change(ed.replaceWord(editor.current, `${item.label} `));
    if (kind === "command") setDismissed(undefined);
  };

  const submit = (text: string) => {
    change(ed.emptyEditor);
    setVimMode("insert");
    setDismissed(undefined);
    if (text.trim() !== "") opts.current.onSubmit(text);
  };

  /** Handles a key; false when the key is not the editor's (the caller may use it). */
  const handleKey = (input: string, key: Key): boolean => {
    // Typed text and Enter can arrive in one chunk (fast typing, tmux, keys
    // typed before the UI started, which the terminal turned into "\n"): each
    // line break is an Enter. Real pastes come bracketed and never get here.
    if (input.length > 1 && /[\r\n]/.test(input) && !key.ctrl && !key.meta) {
      const parts = input.split(/\r\n|\r|\n/);
      parts.forEach((part, index) => {
        if (part !== "") change(ed.insert(editor.current, part));
        if (index < parts.length - 1) handleKey("\r", { ...key, return: true });
      });
      return true;
    }
    if (opts.current.vim && vimKey(input, key)) return true;
    const state = editor.current;
    const active = completionRef.current;
    const pick = active?.items[Math.min(selected.current, active.items.length - 1)];

    if (key.return) {
      if (key.meta) {
        change(ed.insert(state, "\n"));
        return true;
      }
      if (state.text.slice(0, state.cursor).endsWith("\\")) {
        change(ed.insert(ed.backspace(state), "\n"));
        return true;
      }
      if (active && pick) {
        if (active.kind === "file") {
          accept(pick, "file");
          return true;
        }
        submit(pick.label);
        return true;
      }
      submit(state.text);
      return true;
    }
    if (key.tab && !key.shift) {
      if (active && pick) accept(pick, active.kind);
      return true;
    }
    if (key.escape && active) {
      setDismissed(state.text);
      return true;
    }
    if (key.upArrow || key.downArrow) {
      if (active && active.items.length > 0) {
        const count = active.items.length;
        setSelected((selected.current + (key.upArrow ? count - 1 : 1)) % count);
        return true;
      }
      const moved = key.upArrow ? ed.up(state) : ed.down(state);
      if (moved) {
        setEditor(moved);
        return true;
      }
      const entries = opts.current.history();
      if (key.upArrow) {
        const step = historyUp(entries, historyCursor.current, state.text);
        if (step) {
          setEditor(ed.editorOf(step.text));
          historyCursor.current = step.cursor;
        }
      } else {
        const step = historyDown(entries, historyCursor.current);
        if (step) {
          setEditor(ed.editorOf(step.text));
          historyCursor.current = step.cursor;
        }
      }
      return true;
    }
    const edit = editKey(state, input, key);
    if (edit) {
      change(edit);
      return true;
    }
    return false;
  };

  /** Vim's share of the keys; false lets the key go on (arrows, Enter, Esc in Normal mode). */
  const vimKey = (input: string, key: Key): boolean => {
    if (vimMode.current === "insert") {
      if (!key.escape || completionRef.current) return false;
      setVimMode("normal");
      setEditor(ed.left(editor.current));
      return true;
    }
    if (key.escape && vimMode.current === "visual") {
      vimAnchor.current = undefined;
      setVimMode("normal");
      return true;
    }
    if (key.escape || key.return || key.upArrow || key.downArrow || key.ctrl || key.tab) return false;
    if (input === ":" && editor.current.text === "") {
      change(ed.editorOf(":"));
      setVimMode("insert");
      return true;
    }
    if (input.length !== 1) return true;
    const state = {
      mode: vimMode.current,
      editor: editor.current,
      pending: vimPending.current,
      ...(vimAnchor.current !== undefined && { anchor: vimAnchor.current }),
      ...(vimRegister.current !== undefined && { register: vimRegister.current }),
    };
    const next = vimMode.current === "visual" ? vimVisualKey(state, input) : vimNormalKey(state, input);
    vimPending.current = next.pending;
    vimAnchor.current = next.mode === "visual" ? next.anchor : undefined;
    vimRegister.current = next.register;
    if (next.editor !== editor.current) change(next.editor);
    setVimMode(next.mode);
    return true;
  };

  return {
    vimMode: opts.current.vim ? vimMode.current : undefined,
    /** Visual mode's selection, [start, end) in the editor's text. */
    selection:
      opts.current.vim && vimMode.current === "visual"
        ? visualRange(vimAnchor.current, editor.current)
        : undefined,
    editor: editor.current,
    suggestions: completion?.items ?? [],
    selected: Math.min(selected.current, Math.max(0, (completion?.items.length ?? 1) - 1)),
    handleKey,
    setText: (text: string) => change(ed.editorOf(text)),
    /** Pasted text goes in as typed, line breaks included. */
    insertText: (text: string) => change(ed.insert(editor.current, text)),
    text: () => editor.current.text,
  };
}

/** Cursor movement and deletion keys, and printable input. */
export function editKey(state: ed.EditorState, input: string, key: Key): ed.EditorState | undefined {
  if (isBackspace(key)) return key.meta ? ed.deleteWordBack(state) : ed.backspace(state);
  if (key.leftArrow) return key.ctrl || key.meta ? ed.wordLeft(state) : ed.left(state);
  if (key.rightArrow) return key.ctrl || key.meta ? ed.wordRight(state) : ed.right(state);
  if (key.home) return ed.lineStart(state);
  if (key.end) return ed.lineEnd(state);
  if (key.ctrl) {
    switch (input) {
      case "a":
        return ed.lineStart(state);
      case "e":
        return ed.lineEnd(state);
      case "b":
        return ed.left(state);
      case "f":
        return ed.right(state);
      case "d":
        return ed.deleteForward(state);
      case "w":
        return ed.deleteWordBack(state);
      case "u":
        return ed.deleteToLineStart(state);
      case "k":
        return ed.deleteToLineEnd(state);
      default:
        return undefined;
    }
  }
  if (key.meta && input === "b") return ed.wordLeft(state);
  if (key.meta && input === "f") return ed.wordRight(state);
  const text = printable(input, key);
  return text === undefined ? undefined : ed.insert(state, text);
}

function completionFor(state: ed.EditorState, options: PromptInputOptions): Completion | undefined {
  const { start, word } = ed.wordAtCursor(state);
  if (word.startsWith("/") && start === 0) {
    const query = word.slice(1);
    const items = fuzzyFilter(query, options.commands, (command) => command.name, 20).map((command) => ({
      label: `/${command.name}`,
      detail: command.summary,
    }));
    // A complete command name needs no list (its arguments follow).
    if (items.length === 0 || (items.length === 1 && items[0]?.label === word)) return undefined;
    return { kind: "command", items };
  }
  if (word.startsWith("@")) {
    const files = options.files();
    if (!files) return undefined;
    const items = fuzzyFilter(word.slice(1), files, (file) => file, 50).map((file) => ({
      label: `@${file}`,
    }));
    if (items.length === 0 || (items.length === 1 && items[0]?.label === word)) return undefined;
    return { kind: "file", items };
  }
  return undefined;
}
