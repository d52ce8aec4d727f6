import chalk from "chalk";
import type { HLJSApi } from "highlight.js";

/**
 * Syntax highlighting to ANSI for code blocks: highlight.js (its grammars
 * ship in the npm package: nothing is downloaded at run time), its HTML
 * output turned into ANSI colours by a small scanner. That is about three
 * times faster than going through a syntax tree, which matters because the
 * code block still streaming is highlighted again on every frame.
 *
 * The grammars take a few hundred milliseconds to load, so they load after
 * the first frame (`preloadHighlighter`); until then code renders plain. The
 * loaded highlighter is cached for the process: it is immutable once built.
 */
let loaded: HLJSApi | undefined;
let loading: Promise<void> | undefined;

export function preloadHighlighter(): Promise<void> {
  loading ??= import("highlight.js/lib/common").then((module) => {
    loaded = module.default;
  });
  return loading;
}

export function highlightCode(code: string, lang: string | undefined): string {
  const name = (lang ?? "").trim().split(/\s+/)[0]?.toLowerCase() ?? "";
  if (!loaded || name === "" || !loaded.getLanguage(name)) return code;
  try {
    return htmlToAnsi(loaded.highlight(code, { language: name, ignoreIllegals: true }).value);
  } catch {
    return code;
  }
}

type Paint = (text: string) => string;

const STYLE: Record<string, Paint> = {
  keyword: chalk.blue,
  built_in: chalk.cyan,
  type: chalk.cyan,
  literal: chalk.blue,
  number: chalk.green,
  regexp: chalk.red,
  string: chalk.red,
  subst: (text) => text,
  symbol: chalk.magenta,
  class: chalk.blue,
  function: chalk.yellow,
  title: chalk.yellow,
  params: (text) => text,
  comment: chalk.gray,
  doctag: chalk.gray,
  meta: chalk.gray,
  section: chalk.bold,
  tag: chalk.gray,
  name: chalk.blue,
  attr: chalk.cyan,
  attribute: chalk.cyan,
  variable: chalk.magenta,
  bullet: chalk.cyan,
  code: chalk.cyan,
  emphasis: chalk.italic,
  strong: chalk.bold,
  link: chalk.underline,
  quote: chalk.gray,
  addition: chalk.green,
  deletion: chalk.red,
  property: chalk.cyan,
  operator: (text) => text,
  punctuation: (text) => text,
};

const ENTITY: Record<string, string> = {
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&#x27;": "'",
  "&#39;": "'",
};
const TOKEN = /<span class="([^"]*)">|<\/span>|&(?:amp|lt|gt|quot|#x27|#39);|[^<&]+|[<&]/g;

/** highlight.js HTML (nested `<span class="hljs-…">`) to ANSI; each text run takes its innermost known style. */
export function htmlToAnsi(html: string): string {
  const stack: (Paint | undefined)[] = [];
  let out = "";
  for (const match of html.matchAll(TOKEN)) {
    const [token, classes] = match;
    if (classes !== undefined) {
      const kind = classes.split(/\s+/)[0]?.replace(/^hljs-/, "") ?? "";
      stack.push(STYLE[kind] ?? stack.at(-1));
    } else if (token === "</span>") {
      stack.pop();
    } else {
      const text = ENTITY[token] ?? token;
      const paint = stack.at(-1);
      out += paint ? paint(text) : text;
    }
  }
  return out;
}
