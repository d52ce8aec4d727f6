/**
 * Files attached with `@path` travel inside the user message (that is what
 * the model reads and what the log keeps), each wrapped in a `<file>` tag
 * after the typed text. The UI shows the typed text and the file names only.
 */
const ATTACHMENT = /\n*<file path="([^"]*)">\n[\s\S]*?\n<\/file>/g;

export function attachFiles(prompt: string, files: readonly { path: string; content: string }[]): string {
  if (files.length === 0) return prompt;
  const blocks = files.map(
    ({ path, content }) => `<file path="${path}">\n${content.replace(/\n$/, "")}\n</file>`,
  );
  return `${prompt}\n\n${blocks.join("\n\n")}`;
}

export function splitAttachments(text: string): { text: string; files: string[] } {
  const files: string[] = [];
  const stripped = text.replace(ATTACHMENT, (_, path: string) => {
    files.push(path);
    return "";
  });
  return { text: stripped.trimEnd(), files };
}
