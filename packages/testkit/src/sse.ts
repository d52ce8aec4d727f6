import type { ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";

/** One complete server-sent event, already serialised. */
export interface SseFrame {
  /** A string for rendered events, bytes for replayed ones. */
  text: string | Buffer;
  /** Content deltas are paced by tokensPerSecond; structural events go out at once. */
  paced: boolean;
}

/** `event: name\ndata: {json}\n\n` (or only the data line when name is undefined, as Chat does). */
export function sseFrame(name: string | undefined, data: unknown, paced = false): SseFrame {
  const payload = typeof data === "string" ? data : JSON.stringify(data);
  const head = name === undefined ? "" : `event: ${name}\n`;
  return { text: `${head}data: ${payload}\n\n`, paced };
}

/** A rendered stream and where its terminal events start (where a mid-stream error goes by default). */
export interface StreamRender {
  frames: SseFrame[];
  terminalIndex: number;
  /** The wire's in-stream error, to follow the first `eventsBefore` frames. */
  errorFrames: (eventsBefore: number, errorType?: string, message?: string) => SseFrame[];
}

export interface WriteOptions {
  tokensPerSecond?: number;
  /** Write this many whole frames, then half of the next one, then destroy the socket. */
  cutAfterEvents?: number;
  /** Rewrites a rendered (string) frame just before it is written. */
  onFrame?: ((text: string) => string) | undefined;
}

export type WriteOutcome = "done" | "cut" | "client_closed";

function write(res: ServerResponse, chunk: string | Buffer): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed) {
      resolve();
      return;
    }
    // The callback fires once the bytes are handed to the socket (or on error),
    // which is what a cut needs before it destroys the socket.
    res.write(chunk, () => resolve());
  });
}

/** Cuts the response: writes the first half of `text` (by bytes), then destroys the socket. */
export async function cutMidway(res: ServerResponse, text: string | Buffer): Promise<void> {
  const bytes = typeof text === "string" ? Buffer.from(text, "utf8") : text;
  await write(res, bytes.subarray(0, Math.max(1, Math.floor(bytes.length / 2))));
  res.socket?.destroy();
  res.destroy();
}

/**
 * Writes frames in order, pacing content deltas and applying a cut. The headers
 * must already be set; they are flushed first so a paced stream starts at once.
 */
export async function writeFrames(
  res: ServerResponse,
  frames: SseFrame[],
  options: WriteOptions = {},
): Promise<WriteOutcome> {
  res.flushHeaders();
  const interval = options.tokensPerSecond ? 1000 / options.tokensPerSecond : 0;
  // A cut past the end still cuts: it lands in the last frame.
  const cutAt =
    options.cutAfterEvents === undefined
      ? undefined
      : Math.max(0, Math.min(options.cutAfterEvents, frames.length - 1));
  for (const [index, frame] of frames.entries()) {
    if (res.destroyed) return "client_closed";
    if (index === cutAt) {
      await cutMidway(res, frame.text);
      return "cut";
    }
    if (frame.paced && interval > 0) await sleep(interval);
    const text = options.onFrame && typeof frame.text === "string" ? options.onFrame(frame.text) : frame.text;
    await write(res, text);
  }
  if (res.destroyed) return "client_closed";
  res.end();
  return "done";
}
