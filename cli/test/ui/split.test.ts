import { describe, expect, it } from "vitest";
import { splitStreaming } from "../../src/ui/state/split.js";

describe("splitStreaming", () => {
  it("cuts after the last blank line, so only the unfinished paragraph stays live", () => {
    expect(splitStreaming("# Title\n\nFirst para.\n\nSecond is stre", 50)).toEqual({
      commit: "# Title\n\nFirst para.\n\n",
      tail: "Second is stre",
    });
  });

  it("never cuts inside a code fence, whatever blank lines it holds", () => {
    const text = "Intro\n\n```ts\nconst a = 1;\n\nconst b = 2;\n";
    expect(splitStreaming(text, 50)).toEqual({
      commit: "Intro\n\n",
      tail: "```ts\nconst a = 1;\n\nconst b = 2;\n",
    });
    expect(splitStreaming("```ts\nconst a = 1;\n\nconst b", 50)).toBeUndefined();
  });

  it("cuts after a closed fence once a blank line follows it", () => {
    const text = "```\ncode\n\nmore\n```\n\nAfter";
    expect(splitStreaming(text, 50)).toEqual({ commit: "```\ncode\n\nmore\n```\n\n", tail: "After" });
  });

  it("keeps text with no paragraph break live until it grows past the line cap", () => {
    expect(splitStreaming("line 1\nline 2\nline", 5)).toBeUndefined();
    const long = Array.from({ length: 8 }, (_, i) => `item ${i}`).join("\n");
    expect(splitStreaming(long, 5)).toEqual({
      commit: `${long.slice(0, long.lastIndexOf("\n") + 1)}`,
      tail: "item 7",
    });
  });

  it("closes and reopens a long fence at the cap, so both halves still render as code", () => {
    const body = Array.from({ length: 10 }, (_, i) => `x${i}();`).join("\n");
    const split = splitStreaming(`\`\`\`js\n${body}`, 5);
    expect(split?.commit.endsWith("x8();\n```\n")).toBe(true);
    expect(split?.commit.startsWith("```js\n")).toBe(true);
    expect(split?.tail).toBe("```js\nx9();");
  });

  it("does not commit a chunk that is only blank lines", () => {
    expect(splitStreaming("\n\nHello", 50)).toBeUndefined();
  });

  it("matches a closing fence only with the same character and at least the same length", () => {
    const text = "````md\n```\ninner\n```\n\nstill inside\n````\n\nout";
    expect(splitStreaming(text, 50)).toEqual({ commit: text.slice(0, text.length - 3), tail: "out" });
  });
});
