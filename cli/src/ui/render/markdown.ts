import chalk from "chalk";
import { lexer, type MarkedToken, type Token, type Tokens } from "marked";
import stringWidth from "string-width";
import { highlightCode } from "./highlight.js";

/**
 * Markdown to terminal blocks: block structure for Ink boxes (so list items
 * get a hanging indent), inline styling as ANSI strings. Pure: the same text
 * always gives the same blocks, so a finished chunk can be printed once.
 */
export type MdBlock =
  | { type: "text"; text: string }
  | { type: "heading"; depth: number; text: string }
  | { type: "code"; lang: string; lines: string[] }
  | { type: "list"; items: MdListItem[] }
  | { type: "quote"; blocks: MdBlock[] }
  | { type: "table"; lines: string[] }
  | { type: "rule" };

export interface MdListItem {
  marker: string;
  blocks: MdBlock[];
}

export function markdownBlocks(text: string): MdBlock[] {
  return blocksOf(lexer(text));
}

function blocksOf(tokens: readonly Token[]): MdBlock[] {
  const blocks: MdBlock[] = [];
  for (const raw of tokens) {
    const token = raw as MarkedToken;
    switch (token.type) {
      case "space":
      case "def":
        break;
      case "heading":
        blocks.push({ type: "heading", depth: token.depth, text: inline(token.tokens) });
        break;
      case "paragraph":
        blocks.push({ type: "text", text: inline(token.tokens) });
        break;
      case "text":
        blocks.push({ type: "text", text: token.tokens ? inline(token.tokens) : decode(token.text) });
        break;
      case "code": {
        const lang = token.lang ?? "";
        const code = token.text.replace(/\n$/, "");
        blocks.push({ type: "code", lang, lines: highlightCode(code, lang).split("\n") });
        break;
      }
      case "list":
        blocks.push({ type: "list", items: listItems(token) });
        break;
      case "blockquote":
        blocks.push({ type: "quote", blocks: blocksOf(token.tokens) });
        break;
      case "table":
        blocks.push({ type: "table", lines: table(token) });
        break;
      case "hr":
        blocks.push({ type: "rule" });
        break;
      case "html":
        blocks.push({ type: "text", text: chalk.dim(token.text.replace(/\n$/, "")) });
        break;
      default:
        if ("raw" in token && typeof token.raw === "string" && token.raw.trim() !== "")
          blocks.push({ type: "text", text: token.raw.trim() });
    }
  }
  return blocks;
}

function listItems(list: Tokens.List): MdListItem[] {
  const start = typeof list.start === "number" ? list.start : 1;
  return list.items.map((item, index) => {
    let marker = list.ordered ? `${start + index}.` : "•";
    if (item.task) marker = item.checked ? chalk.green("☑") : "☐";
    const tokens = item.tokens.filter((token) => token.type !== "checkbox");
    return { marker, blocks: blocksOf(tokens) };
  });
}

function table(token: Tokens.Table): string[] {
  const header = token.header.map((cell) => chalk.bold(inline(cell.tokens)));
  const rows = token.rows.map((row) => row.map((cell) => inline(cell.tokens)));
  const widths = header.map((cell, column) =>
    Math.max(stringWidth(cell), ...rows.map((row) => stringWidth(row[column] ?? ""))),
  );
  const pad = (cell: string, column: number) => {
    const width = widths[column] ?? 0;
    const space = Math.max(0, width - stringWidth(cell));
    const align = token.align[column];
    if (align === "right") return " ".repeat(space) + cell;
    if (align === "center")
      return " ".repeat(Math.floor(space / 2)) + cell + " ".repeat(Math.ceil(space / 2));
    return cell + " ".repeat(space);
  };
  const line = (cells: string[]) =>
    `│ ${widths.map((_, column) => pad(cells[column] ?? "", column)).join(" │ ")} │`;
  const rule = (left: string, middle: string, right: string) =>
    chalk.dim(`${left}${widths.map((width) => "─".repeat(width + 2)).join(middle)}${right}`);
  return [rule("┌", "┬", "┐"), line(header), rule("├", "┼", "┤"), ...rows.map(line), rule("└", "┴", "┘")];
}

/** Inline tokens to one ANSI string. */
export function inline(tokens: readonly Token[] | undefined): string {
  if (!tokens) return "";
  let out = "";
  for (const raw of tokens) {
    const token = raw as MarkedToken;
    switch (token.type) {
      case "strong":
        out += chalk.bold(inline(token.tokens));
        break;
      case "em":
        out += chalk.italic(inline(token.tokens));
        break;
      case "del":
        out += chalk.strikethrough(inline(token.tokens));
        break;
      case "codespan":
        out += chalk.cyan(decode(token.text));
        break;
      case "link": {
        const label = inline(token.tokens);
        out +=
          token.href === token.text || token.href === `mailto:${token.text}`
            ? chalk.blue.underline(label)
            : `${chalk.blue.underline(label)} ${chalk.dim(`(${token.href})`)}`;
        break;
      }
      case "image":
        out += chalk.dim(`[image: ${token.text || token.href}]`);
        break;
      case "br":
        out += "\n";
        break;
      case "escape":
        out += token.text;
        break;
      case "text":
        out += token.tokens ? inline(token.tokens) : decode(token.text);
        break;
      case "html":
        out += chalk.dim(token.text);
        break;
      default:
        if ("raw" in token && typeof token.raw === "string") out += token.raw;
    }
  }
  return out;
}

const ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  "#39": "'",
  apos: "'",
  nbsp: " ",
};

function decode(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|apos|nbsp);/g, (_, name: string) => ENTITIES[name] ?? "");
}
