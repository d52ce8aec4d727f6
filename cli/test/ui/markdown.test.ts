import chalk from "chalk";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { highlightCode, htmlToAnsi, preloadHighlighter } from "../../src/ui/render/highlight.js";
import { markdownBlocks } from "../../src/ui/render/markdown.js";
import { stripAnsi } from "./events.js";

const level = chalk.level;
beforeAll(() => preloadHighlighter());
afterEach(() => {
  chalk.level = level;
});

describe("markdown to terminal blocks", () => {
  it("reads headings, paragraphs with inline styles, lists, quotes and rules", () => {
    const blocks = markdownBlocks(
      "# Title\n\nSome **bold**, *em*, `code` and [link](http://x.y) &amp; more.\n\n- a\n- [x] done\n\n3. c\n4. d\n\n> quoted\n\n---",
    );
    expect(blocks.map((block) => block.type)).toEqual(["heading", "text", "list", "list", "quote", "rule"]);
    expect(blocks[1]?.type === "text" && stripAnsi(blocks[1].text)).toBe(
      "Some bold, em, code and link (http://x.y) & more.",
    );
    const [bullets, numbers] = [blocks[2], blocks[3]];
    expect(bullets?.type === "list" && bullets.items.map((item) => stripAnsi(item.marker))).toEqual([
      "•",
      "☑",
    ]);
    expect(numbers?.type === "list" && numbers.items.map((item) => item.marker)).toEqual(["3.", "4."]);
  });

  it("styles inline markdown with ANSI when the terminal has colour", () => {
    chalk.level = 1;
    const [block] = markdownBlocks("**bold** and `code`");
    expect(block?.type === "text" && block.text).toBe("\u001b[1mbold\u001b[22m and \u001b[36mcode\u001b[39m");
  });

  it("highlights code blocks by language, also an unfinished block still streaming", () => {
    chalk.level = 1;
    const [done] = markdownBlocks("```ts\nconst x: number = 1;\n```");
    expect(done?.type).toBe("code");
    if (done?.type !== "code") return;
    expect(done.lang).toBe("ts");
    expect(done.lines[0]).toContain("\u001b[");
    expect(stripAnsi(done.lines[0] ?? "")).toBe("const x: number = 1;");
    const [streaming] = markdownBlocks("```python\ndef f(x):\n    return x");
    expect(streaming?.type === "code" && stripAnsi(streaming.lines.join("\n"))).toBe(
      "def f(x):\n    return x",
    );
    expect(streaming?.type === "code" && streaming.lines[0]).toContain("\u001b[");
    expect(highlightCode("plain", "no-such-language")).toBe("plain");
  });

  it("turns highlight.js HTML into ANSI: nested spans take the innermost style, entities are decoded", () => {
    chalk.level = 1;
    const html =
      '<span class="hljs-string">&quot;a <span class="hljs-subst">{x}</span> &amp; b&quot;</span> &lt;';
    const ansi = htmlToAnsi(html);
    expect(stripAnsi(ansi)).toBe('"a {x} & b" <');
    expect(ansi).toContain("\u001b[31ma \u001b[39m");
    expect(ansi).toContain("\u001b[39m{x}");
    expect(stripAnsi(highlightCode("if (a < b && c) { return '&amp;'; }", "js"))).toBe(
      "if (a < b && c) { return '&amp;'; }",
    );
  });

  it("lays out tables with aligned columns", () => {
    const [table] = markdownBlocks("| name | n |\n|---|--:|\n| toad | 1 |\n| frog | 10 |");
    expect(table?.type === "table" && table.lines.map(stripAnsi)).toEqual([
      "┌──────┬────┐",
      "│ name │  n │",
      "├──────┼────┤",
      "│ toad │  1 │",
      "│ frog │ 10 │",
      "└──────┴────┘",
    ]);
  });
});
