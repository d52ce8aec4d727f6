import type {
  CallToolResult,
  ContentBlock,
  GetPromptResult,
  ReadResourceResult,
} from "@modelcontextprotocol/sdk/types.js";

/** Tool output the model reads is capped; MCP servers can return megabytes. */
export const MAX_OUTPUT_CHARS = 100_000;

function cap(text: string, max = MAX_OUTPUT_CHARS): string {
  if (text.length <= max) return text;
  const half = Math.floor(max / 2);
  return `${text.slice(0, half)}\n[… ${text.length - max} characters cut …]\n${text.slice(-half)}`;
}

function base64Bytes(data: string): number {
  return Math.floor((data.length * 3) / 4);
}

/** One content block as text: text as is, binary content described, resources inlined when textual. */
export function contentBlockText(block: ContentBlock): string {
  switch (block.type) {
    case "text":
      return block.text;
    case "image":
      return `[image ${block.mimeType}, ${base64Bytes(block.data)} bytes]`;
    case "audio":
      return `[audio ${block.mimeType}, ${base64Bytes(block.data)} bytes]`;
    case "resource_link":
      return `[resource ${block.uri}${block.name ? ` "${block.name}"` : ""}${block.mimeType ? ` (${block.mimeType})` : ""}]`;
    case "resource": {
      const { resource } = block;
      if ("text" in resource && typeof resource.text === "string") {
        return `<resource uri="${resource.uri}">\n${resource.text}\n</resource>`;
      }
      return `[resource ${resource.uri}${resource.mimeType ? ` (${resource.mimeType})` : ""}, binary]`;
    }
    default:
      return "[unsupported content]";
  }
}

/** What the model sees of a `tools/call` result. */
export function callResultText(result: CallToolResult): string {
  const parts = result.content.map(contentBlockText);
  // Structured output is only shown when the server gave no text for it.
  if (parts.length === 0 && result.structuredContent !== undefined) {
    parts.push(JSON.stringify(result.structuredContent, null, 2));
  }
  const text = parts.join("\n");
  return cap(text === "" ? "(no output)" : text);
}

export function resourceText(result: ReadResourceResult): string {
  const parts = result.contents.map((item) =>
    "text" in item && typeof item.text === "string"
      ? item.text
      : `[binary resource ${item.uri}${item.mimeType ? ` (${item.mimeType})` : ""}]`,
  );
  return cap(parts.join("\n"));
}

/** A prompt's messages as one text: what the user would have typed. */
export function promptText(result: GetPromptResult): string {
  return cap(
    result.messages
      .map((message) => {
        const text = contentBlockText(message.content);
        return message.role === "assistant" ? `[assistant] ${text}` : text;
      })
      .join("\n\n"),
  );
}
