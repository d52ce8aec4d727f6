import type { ContentBlock } from "@agentclientprotocol/sdk";
import { expandMentions, type McpHub, resolvePromptCommand } from "@toad/mcp";

export type PromptResult = { ok: true; text: string } | { ok: false; message: string };

function blockText(block: ContentBlock): string {
  switch (block.type) {
    case "text":
      return block.text;
    case "resource_link":
      return `[${block.name}](${block.uri})`;
    case "resource": {
      const { resource } = block;
      return "text" in resource
        ? `<context uri="${resource.uri}">\n${resource.text}\n</context>`
        : `[binary resource ${resource.uri} omitted]`;
    }
    case "image":
    case "audio":
      return `[${block.type} omitted: TOAD does not accept ${block.type} input yet]`;
    default:
      return "";
  }
}

/**
 * An ACP prompt as the text TOAD sends to the model. `/mcp__<server>__<prompt>
 * args` runs an MCP prompt; `@server:uri` attaches an MCP resource.
 */
export async function promptFromBlocks(
  blocks: readonly ContentBlock[],
  hubs: readonly McpHub[],
  signal: AbortSignal,
): Promise<PromptResult> {
  let text = blocks
    .map(blockText)
    .filter((part) => part !== "")
    .join("\n");
  for (const hub of hubs) {
    const command = await resolvePromptCommand(text, hub, signal);
    if (command === undefined) continue;
    if (!command.ok) return { ok: false, message: command.error.message };
    text = command.value;
    break;
  }
  for (const hub of hubs) text = (await expandMentions(text, hub, signal)).text;
  return text.trim() === "" ? { ok: false, message: "the prompt is empty" } : { ok: true, text };
}
