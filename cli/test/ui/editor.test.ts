import { describe, expect, it } from "vitest";
import * as ed from "../../src/ui/state/editor.js";

const at = (text: string, cursor: number): ed.EditorState => ({ text, cursor });

describe("editor model", () => {
  it("inserts at the cursor and normalises pasted line endings", () => {
    expect(ed.insert(at("ac", 1), "b")).toEqual(at("abc", 2));
    expect(ed.insert(at("", 0), "a\r\nb\rc")).toEqual(at("a\nb\nc", 5));
  });

  it("erases whole surrogate pairs", () => {
    const text = "a😀";
    expect(ed.backspace(at(text, text.length))).toEqual(at("a", 1));
    expect(ed.left(at(text, text.length)).cursor).toBe(1);
    expect(ed.right(at(text, 1)).cursor).toBe(3);
    expect(ed.deleteForward(at(text, 1))).toEqual(at("a", 1));
  });

  it("moves between lines keeping the column, and reports the edges", () => {
    const state = at("first line\nab\nthird", 8);
    const down = ed.down(state);
    expect(down).toEqual(at(state.text, 13)); // column clamped to "ab"
    expect(ed.down(at(state.text, 12))).toEqual(at(state.text, 15));
    expect(ed.up(at(state.text, 3))).toBeUndefined();
    expect(ed.down(at(state.text, 17))).toBeUndefined();
    expect(ed.position(at(state.text, 13))).toEqual({ line: 1, column: 2 });
  });

  it("jumps and deletes by word and by line", () => {
    const state = at("git commit -m fix", 17);
    expect(ed.wordLeft(state).cursor).toBe(14);
    expect(ed.deleteWordBack(state)).toEqual(at("git commit -m ", 14));
    expect(ed.wordRight(at(state.text, 0)).cursor).toBe(3);
    expect(ed.deleteToLineStart(at("a\nbcd", 4))).toEqual(at("a\nd", 2));
    expect(ed.deleteToLineEnd(at("a\nbcd", 3))).toEqual(at("a\nb", 3));
    expect(ed.deleteToLineEnd(at("ab\ncd", 2))).toEqual(at("abcd", 2));
    expect(ed.lineStart(at("a\nbcd", 4)).cursor).toBe(2);
    expect(ed.lineEnd(at("ab\ncd", 0)).cursor).toBe(2);
  });

  it("finds and replaces the word at the cursor for completion", () => {
    const state = at("look at @src/ma please", 15);
    expect(ed.wordAtCursor(state)).toEqual({ start: 8, word: "@src/ma" });
    expect(ed.replaceWord(state, "@src/main.ts ")).toEqual(at("look at @src/main.ts  please", 21));
  });
});
