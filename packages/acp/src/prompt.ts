import type { ContentBlock, ImageContent } from "@agentclientprotocol/sdk";
import type { UserImage } from "@toad/core";
import { MAX_IMAGE_BYTES, MAX_IMAGES_PER_PROMPT, sniffImageType, userImage } from "@toad/extensions";
import { expandMentions, type McpHub, resolvePromptCommand } from "@toad/mcp";

export type PromptResult = { ok: true; text: string; images: UserImage[] } | { ok: false; message: string };

/**
 * An editor's image block as a user message carries it, or why it is not
 * sent (too large, not an image: the type comes from the bytes, not from the
 * block's `mimeType`). The note stands in the prompt's text so the model
 * knows something was attached.
 */
function imageFromBlock(block: ImageContent): { image: UserImage } | { note: string } {
  const name = block.uri ?? "pasted image";
  const bytes = Buffer.from(block.data, "base64");
  if (bytes.length > MAX_IMAGE_BYTES)
    return { note: `[image ${name} not sent: ${bytes.length} bytes, over ${MAX_IMAGE_BYTES}]` };
  const mediaType = sniffImageType(bytes);
  if (mediaType === undefined)
    return { note: `[image ${name} not sent: not a PNG, JPEG, GIF or WebP image]` };
  return { image: userImage(bytes, mediaType, block.uri ?? undefined) };
}

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
    case "audio":
      return "[audio omitted: TOAD does not accept audio input]";
    default:
      return "";
  }
}

/**
 * An ACP prompt as the text and images TOAD sends to the model.
 * `/mcp__<server>__<prompt> args` runs an MCP prompt; `@server:uri` attaches
 * an MCP resource.
 */
export async function promptFromBlocks(
  blocks: readonly ContentBlock[],
  hubs: readonly McpHub[],
  signal: AbortSignal,
): Promise<PromptResult> {
  const images: UserImage[] = [];
  const parts: string[] = [];
  for (const block of blocks) {
    if (block.type !== "image") {
      parts.push(blockText(block));
      continue;
    }
    const loaded = images.length < MAX_IMAGES_PER_PROMPT ? imageFromBlock(block) : undefined;
    if (loaded === undefined) parts.push(`[image not sent: at most ${MAX_IMAGES_PER_PROMPT} per prompt]`);
    else if ("image" in loaded) images.push(loaded.image);
    else parts.push(loaded.note);
  }
  let text = parts.filter((part) => part !== "").join("\n");
  for (const hub of hubs) {
    const command = await resolvePromptCommand(text, hub, signal);
    if (command === undefined) continue;
    if (!command.ok) return { ok: false, message: command.error.message };
    text = command.value;
    break;
  }
  for (const hub of hubs) text = (await expandMentions(text, hub, signal)).text;
  if (text.trim() === "" && images.length === 0) return { ok: false, message: "the prompt is empty" };
  return { ok: true, text, images };
}
