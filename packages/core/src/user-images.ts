import type { ContentBlock } from "./conversation.js";
import type { AgentEventBody, UserImage } from "./events.js";

/**
 * The images of a new user message as the log should store them: an image
 * whose bytes an earlier user message of `history` already carries keeps only
 * its reference, so attaching the same screenshot on every prompt does not
 * grow the log by its size each time. Duplicates within `images` go too.
 */
export function storeImagesOnce(
  images: readonly UserImage[],
  history: Iterable<AgentEventBody>,
): UserImage[] {
  const stored = new Set<string>();
  for (const event of history) {
    if (event.type !== "user_message") continue;
    for (const image of event.images ?? []) if (image.dataBase64 !== undefined) stored.add(image.sha256);
  }
  const out: UserImage[] = [];
  const seen = new Set<string>();
  for (const image of images) {
    if (seen.has(image.sha256)) continue;
    seen.add(image.sha256);
    if (stored.has(image.sha256) || image.dataBase64 === undefined) {
      const { dataBase64: _dropped, ...reference } = image;
      out.push(reference);
    } else {
      stored.add(image.sha256);
      out.push(image);
    }
  }
  return out;
}

/**
 * Turns a log's image references back into content blocks, remembering the
 * bytes of every image it has seen (in log order). A reference whose bytes
 * the log never carried becomes a text note, so the conversation stays valid.
 */
export class ImageResolver {
  private readonly bytes = new Map<string, string>();

  block(image: UserImage): ContentBlock {
    if (image.dataBase64 !== undefined) this.bytes.set(image.sha256, image.dataBase64);
    const data = image.dataBase64 ?? this.bytes.get(image.sha256);
    if (data === undefined) {
      return {
        type: "text",
        text: `[image ${imageName(image)} was attached, but its bytes are not in the log]`,
      };
    }
    return {
      type: "image",
      mediaType: image.mediaType,
      dataBase64: data,
      ...(image.source !== undefined && { source: image.source }),
    };
  }
}

/** How notes name an image: where it came from, else the start of its hash. */
export function imageName(image: { source?: string; sha256?: string }): string {
  return image.source ?? (image.sha256 ? `sha256:${image.sha256.slice(0, 12)}` : "(pasted)");
}

/**
 * True for base64 in its one canonical spelling (padding, no whitespace, zero
 * spare bits): the only spelling that survives a trip through bytes, which is
 * how the proto mapping carries image data.
 */
export function isCanonicalBase64(text: string): boolean {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return false;
  return Buffer.from(text, "base64").toString("base64") === text;
}
