import { StringDecoder } from "node:string_decoder";
import type { OutputChunk, OutputStream } from "./types.js";

/**
 * Keeps the first and last bytes of a stream of unknown length in bounded
 * memory. Errors usually sit at the end of a command's output and the command
 * line's context at the start, so both ends are worth more than either alone.
 */
export class HeadTailBuffer {
  private readonly headLimit: number;
  private readonly tailLimit: number;
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private total = 0;

  constructor(maxBytes: number) {
    const limit = Math.max(2, Math.floor(maxBytes));
    this.headLimit = Math.floor(limit / 2);
    this.tailLimit = limit - this.headLimit;
  }

  push(chunk: Buffer): void {
    this.total += chunk.length;
    let rest = chunk;
    if (this.headBytes < this.headLimit) {
      const take = Math.min(this.headLimit - this.headBytes, rest.length);
      this.head.push(rest.subarray(0, take));
      this.headBytes += take;
      rest = rest.subarray(take);
    }
    if (rest.length === 0) return;
    this.tail.push(rest);
    this.tailBytes += rest.length;
    // Drop whole chunks from the front while the remainder still covers the limit.
    while (this.tail.length > 1 && this.tailBytes - (this.tail[0]?.length ?? 0) >= this.tailLimit) {
      this.tailBytes -= this.tail.shift()?.length ?? 0;
    }
  }

  get totalBytes(): number {
    return this.total;
  }

  get truncated(): boolean {
    return this.total > this.headLimit + this.tailLimit;
  }

  /** The text, with a marker line where bytes were cut. */
  text(): string {
    const head = Buffer.concat(this.head);
    let tail = Buffer.concat(this.tail);
    if (!this.truncated) return Buffer.concat([head, tail]).toString("utf8");
    tail = tail.subarray(tail.length - this.tailLimit);
    const omitted = this.total - head.length - tail.length;
    return `${head.toString("utf8")}\n[... ${omitted} bytes omitted ...]\n${tail.toString("utf8")}`;
  }
}

/**
 * Both streams of one command: each capped head+tail, and passed on live
 * (uncapped, decoded without splitting a UTF-8 character) to `onOutput`.
 * Every driver captures through this, local or remote.
 */
export class StreamCapture {
  private readonly buffers: Record<OutputStream, HeadTailBuffer>;
  private readonly decoders: Record<OutputStream, StringDecoder> = {
    stdout: new StringDecoder("utf8"),
    stderr: new StringDecoder("utf8"),
  };

  constructor(
    maxBytes: number,
    private readonly onOutput?: (chunk: OutputChunk) => void,
  ) {
    this.buffers = { stdout: new HeadTailBuffer(maxBytes), stderr: new HeadTailBuffer(maxBytes) };
  }

  push(stream: OutputStream, chunk: Buffer): void {
    this.buffers[stream].push(chunk);
    if (this.onOutput) {
      const text = this.decoders[stream].write(chunk);
      if (text) this.onOutput({ stream, text });
    }
  }

  result(): { stdout: string; stderr: string; truncated: boolean } {
    return {
      stdout: this.buffers.stdout.text(),
      stderr: this.buffers.stderr.text(),
      truncated: this.buffers.stdout.truncated || this.buffers.stderr.truncated,
    };
  }
}
