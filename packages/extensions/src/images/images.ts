import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import type { UserImage } from "@toad/core";

/**
 * Bytes per image: its base64 stays within Anthropic's 5 MB per-image limit
 * (OpenAI's is larger), and a session log grows by at most this (×4/3) per
 * distinct image.
 */
export const MAX_IMAGE_BYTES = Math.floor((5 * 1024 * 1024 * 3) / 4);
/** Images one prompt sends at most; the rest are reported, not sent. */
export const MAX_IMAGES_PER_PROMPT = 8;

export type ImageLoad =
  | { ok: true; path: string; image: UserImage }
  | { ok: false; path: string; message: string };

const SIGNATURES: { mediaType: string; test: (bytes: Buffer) => boolean }[] = [
  {
    mediaType: "image/png",
    test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
  { mediaType: "image/jpeg", test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { mediaType: "image/gif", test: (b) => /^GIF8[79]a/.test(b.subarray(0, 6).toString("latin1")) },
  {
    mediaType: "image/webp",
    test: (b) =>
      b.subarray(0, 4).toString("latin1") === "RIFF" && b.subarray(8, 12).toString("latin1") === "WEBP",
  },
];

/** The media type from the file's first bytes (never from its name); undefined when not a supported image. */
export function sniffImageType(bytes: Buffer): string | undefined {
  return SIGNATURES.find((signature) => signature.test(bytes))?.mediaType;
}

/** An image's bytes as a user message carries them. */
export function userImage(bytes: Buffer, mediaType: string, source?: string): UserImage {
  return {
    mediaType,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    dataBase64: bytes.toString("base64"),
    ...(source !== undefined && { source }),
  };
}

/** Reads an image file into what a user message carries (the path as given is its source). */
export async function loadImage(path: string, cwd: string, maxBytes = MAX_IMAGE_BYTES): Promise<ImageLoad> {
  const absolute = resolve(cwd, path);
  try {
    const info = await stat(absolute);
    if (!info.isFile()) return { ok: false, path, message: "is not a file" };
    if (info.size > maxBytes) {
      return {
        ok: false,
        path,
        message: `is ${info.size} bytes; images over ${maxBytes} bytes are not sent`,
      };
    }
    const bytes = await readFile(absolute);
    const mediaType = sniffImageType(bytes);
    if (!mediaType) return { ok: false, path, message: "is not a PNG, JPEG, GIF or WebP image" };
    return { ok: true, path, image: userImage(bytes, mediaType, path) };
  } catch (error) {
    return {
      ok: false,
      path,
      message: `cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    };
  }
}

const IMAGE_PATH = /(?:^|\s)@?((?:[^\s"'`]+\/)?[^\s"'`/]+\.(?:png|jpe?g|gif|webp))(?=$|[\s,.;:!?)])/gi;

/** Image paths mentioned in a prompt (`look at @shots/bug.png`), in order, without duplicates. */
export function imagePathsIn(prompt: string): string[] {
  const found: string[] = [];
  for (const match of prompt.matchAll(IMAGE_PATH)) {
    const path = match[1];
    if (path && !found.includes(path)) found.push(path);
  }
  return found;
}

/**
 * The images a prompt mentions that exist, loaded (at most
 * `MAX_IMAGES_PER_PROMPT`); paths that do not exist are left alone (they may
 * be prose), while files that exist but cannot be sent come back as problems
 * to show.
 */
export async function imagesForPrompt(
  prompt: string,
  cwd: string,
): Promise<{ images: UserImage[]; problems: { path: string; message: string }[] }> {
  const images: UserImage[] = [];
  const problems: { path: string; message: string }[] = [];
  for (const path of imagePathsIn(prompt)) {
    const loaded = await loadImage(path, cwd);
    if (!loaded.ok) {
      if (!loaded.message.includes("ENOENT")) problems.push({ path, message: loaded.message });
    } else if (images.length >= MAX_IMAGES_PER_PROMPT) {
      problems.push({ path, message: `is over the limit of ${MAX_IMAGES_PER_PROMPT} images per prompt` });
    } else {
      images.push(loaded.image);
    }
  }
  return { images, problems };
}
