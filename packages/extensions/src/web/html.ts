import { createRequire } from "node:module";

/** Page furniture that is not content. */
const IGNORED = [
  "script",
  "style",
  "noscript",
  "template",
  "svg",
  "canvas",
  "iframe",
  "nav",
  "footer",
  "form",
  "button",
];

// The converter is loaded on the first page fetched, not when TOAD starts.
const requireModule = createRequire(import.meta.url);
let converter: import("node-html-markdown").NodeHtmlMarkdown | undefined;
function htmlConverter(): import("node-html-markdown").NodeHtmlMarkdown {
  const { NodeHtmlMarkdown } = requireModule("node-html-markdown") as typeof import("node-html-markdown");
  converter ??= new NodeHtmlMarkdown({ ignore: IGNORED, keepDataImages: false, maxConsecutiveNewlines: 2 });
  return converter;
}

/** An HTML page as readable markdown: its title as a heading, then the body's content. */
export function htmlToMarkdown(html: string): string {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1]?.trim();
  const main =
    /<main[\s>][\s\S]*<\/main>/i.exec(html)?.[0] ?? /<body[\s>][\s\S]*<\/body>/i.exec(html)?.[0] ?? html;
  const body = htmlConverter().translate(main).trim();
  return title && !body.startsWith(`# ${title}`) ? `# ${decodeEntities(title)}\n\n${body}` : body;
}

function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}
