import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import type { SseFrame } from "./sse.js";

// Replays a recorded response body byte for byte. The file is cut into frames at
// each blank line ("\n\n") only so pacing and cuts work per event; the frames
// concatenate back to the exact file bytes.

export interface Replay {
  contentType: string;
  frames: SseFrame[];
}

function contentTypeOf(path: string): string {
  switch (extname(path)) {
    case ".json":
      return "application/json";
    case ".ndjson":
    case ".jsonl":
      return "application/x-ndjson";
    default:
      return "text/event-stream; charset=utf-8";
  }
}

export function splitEvents(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (;;) {
    const blank = bytes.indexOf("\n\n", start);
    if (blank < 0) break;
    out.push(bytes.subarray(start, blank + 2));
    start = blank + 2;
  }
  if (start < bytes.length) out.push(bytes.subarray(start));
  return out;
}

export async function loadReplay(path: string): Promise<Replay> {
  const bytes = await readFile(path);
  const contentType = contentTypeOf(path);
  const pieces = contentType === "application/json" ? [bytes] : splitEvents(bytes);
  return { contentType, frames: pieces.map((text) => ({ text, paced: true })) };
}
