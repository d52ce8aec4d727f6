import { describe, expect, it } from "vitest";
import {
  parseColonLine,
  type VimState,
  vimNormalKey,
  vimVisualKey,
  visualRange,
} from "../../src/ui/state/vim.js";

const normal = (text: string, cursor: number): VimState => ({
  mode: "normal",
  editor: { text, cursor },
  pending: undefined,
});
const keys = (state: VimState, sequence: string) =>
  [...sequence].reduce((current, key) => vimNormalKey(current, key), state);

describe("vim keys (Normal mode)", () => {
  it("moves by character, word and line", () => {
    expect(keys(normal("one two three", 0), "ww").editor.cursor).toBe(8);
    expect(keys(normal("one two three", 13), "b").editor.cursor).toBe(8);
    expect(keys(normal("one two", 3), "0").editor.cursor).toBe(0);
    expect(keys(normal("one\ntwo", 0), "$").editor.cursor).toBe(3);
    expect(keys(normal("one\ntwo", 1), "j").editor.cursor).toBe(5);
    expect(keys(normal("abc", 1), "hl").editor.cursor).toBe(1);
  });

  it("deletes with x, D and dd, and changes with C and cc", () => {
    expect(keys(normal("abc", 1), "x").editor).toEqual({ text: "ac", cursor: 1 });
    expect(keys(normal("hello world", 6), "D").editor).toEqual({ text: "hello ", cursor: 6 });
    expect(keys(normal("one\ntwo\nthree", 5), "dd").editor).toEqual({ text: "one\nthree", cursor: 4 });
    expect(keys(normal("keep\nthis", 6), "cc")).toMatchObject({
      mode: "insert",
      editor: { text: "keep\n", cursor: 5 },
    });
    expect(keys(normal("abc", 1), "C")).toMatchObject({ mode: "insert", editor: { text: "a" } });
  });

  it("enters Insert mode where i, a, I, A, o and O say", () => {
    expect(keys(normal("abc", 1), "i")).toMatchObject({ mode: "insert", editor: { cursor: 1 } });
    expect(keys(normal("abc", 1), "a")).toMatchObject({ mode: "insert", editor: { cursor: 2 } });
    expect(keys(normal("abc", 1), "A")).toMatchObject({ mode: "insert", editor: { cursor: 3 } });
    expect(keys(normal("abc", 2), "I")).toMatchObject({ mode: "insert", editor: { cursor: 0 } });
    expect(keys(normal("abc", 1), "o")).toMatchObject({
      mode: "insert",
      editor: { text: "abc\n", cursor: 4 },
    });
    expect(keys(normal("abc", 1), "O")).toMatchObject({
      mode: "insert",
      editor: { text: "\nabc", cursor: 0 },
    });
  });

  it("ignores keys it does not know, and drops a half command", () => {
    expect(keys(normal("abc", 1), "zq").editor).toEqual({ text: "abc", cursor: 1 });
    expect(keys(normal("abc", 1), "dz").editor).toEqual({ text: "abc", cursor: 1 });
  });
});

describe(": lines", () => {
  it("reads prompts, slash commands and quit", () => {
    expect(parseColonLine(":ai fix-bug in src/x.ts")).toEqual({
      kind: "prompt",
      text: "fix-bug in src/x.ts",
    });
    expect(parseColonLine(":mode plan")).toEqual({ kind: "slash", line: "/mode plan" });
    expect(parseColonLine(":q")).toEqual({ kind: "quit" });
    expect(parseColonLine(":")).toBeUndefined();
  });
});

/** Keys through Normal and Visual mode, as the prompt editor routes them. */
const modal = (state: VimState, sequence: string) =>
  [...sequence].reduce(
    (current, key) => (current.mode === "visual" ? vimVisualKey(current, key) : vimNormalKey(current, key)),
    state,
  );

describe("vim keys (Visual mode)", () => {
  it("v starts a selection at the cursor and motions extend it", () => {
    const state = modal(normal("one two three", 4), "vw");
    expect(state.mode).toBe("visual");
    expect(visualRange(state.anchor, state.editor)).toEqual([4, 9]);
    const back = modal(normal("one two three", 8), "vb");
    expect(visualRange(back.anchor, back.editor)).toEqual([4, 9]);
  });

  it("d deletes the selection into the register and p puts it back", () => {
    const cut = modal(normal("one two three", 4), "vlld");
    expect(cut).toMatchObject({ mode: "normal", editor: { text: "one  three" }, register: "two" });
    const pasted = modal(cut, "$p");
    expect(pasted.editor.text).toBe("one  threetwo");
  });

  it("y copies without changing the text; c replaces the selection in Insert mode", () => {
    const yanked = modal(normal("alpha beta", 0), "vlllly");
    expect(yanked).toMatchObject({
      mode: "normal",
      editor: { text: "alpha beta", cursor: 0 },
      register: "alpha",
    });
    const changed = modal(normal("alpha beta", 6), "v$c");
    expect(changed).toMatchObject({ mode: "insert", editor: { text: "alpha ", cursor: 6 } });
  });

  it("editing keys of Normal mode do nothing in Visual mode, and v leaves it", () => {
    const state = modal(normal("abc", 0), "vli");
    expect(state).toMatchObject({ mode: "visual", editor: { text: "abc", cursor: 1 } });
    expect(modal(state, "v").mode).toBe("normal");
  });
});
