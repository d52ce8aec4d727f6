/**
 * A WHATWG server-sent-events decoder. Bytes may be split anywhere (inside a
 * line, between CR and LF, inside a UTF-8 character); lines end with LF, CRLF
 * or CR; `field: value` loses exactly one leading space; repeated `data:` lines
 * join with "\n"; `:` lines are comments; a blank line dispatches; an event
 * whose data is empty is never dispatched (nothing to parse).
 */

export interface SseEvent {
  /** The `event:` name, when the server sent one. */
  event: string | undefined;
  data: string;
  id: string | undefined;
}

export class SseDecoder {
  private readonly utf8 = new TextDecoder("utf-8");
  private buffer = "";
  /** The previous chunk ended with CR: a leading LF in the next one belongs to it. */
  private pendingCr = false;
  private eventName: string | undefined;
  private dataLines: string[] = [];
  private lastId: string | undefined;

  /** Feeds bytes (or already-decoded text); returns the events they complete. */
  push(chunk: Uint8Array | string): SseEvent[] {
    let text = typeof chunk === "string" ? chunk : this.utf8.decode(chunk, { stream: true });
    if (this.pendingCr && text.startsWith("\n")) text = text.slice(1);
    this.pendingCr = false;
    this.buffer += text;
    return this.drainLines();
  }

  /** Ends the input. Returns an event left without its closing blank line, if any (the stream was cut). */
  end(): SseEvent | undefined {
    this.buffer += this.utf8.decode();
    if (this.buffer !== "") this.processLine(this.buffer);
    this.buffer = "";
    const event = this.currentEvent();
    this.reset();
    return event.data === "" ? undefined : event;
  }

  private drainLines(): SseEvent[] {
    const out: SseEvent[] = [];
    let start = 0;
    const buf = this.buffer;
    for (let i = 0; i < buf.length; i++) {
      const code = buf.charCodeAt(i);
      if (code !== 10 && code !== 13) continue;
      const line = buf.slice(start, i);
      if (code === 13) {
        if (i + 1 < buf.length) {
          if (buf.charCodeAt(i + 1) === 10) i++;
        } else {
          this.pendingCr = true;
        }
      }
      start = i + 1;
      if (line === "") {
        const event = this.currentEvent();
        if (event.data !== "") out.push(event);
        this.reset();
      } else {
        this.processLine(line);
      }
    }
    this.buffer = buf.slice(start);
    return out;
  }

  private processLine(line: string): void {
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    switch (field) {
      case "event":
        this.eventName = value;
        return;
      case "data":
        this.dataLines.push(value);
        return;
      case "id":
        if (!value.includes("\0")) this.lastId = value;
        return;
      default:
        return; // retry: and unknown fields are ignored
    }
  }

  private currentEvent(): SseEvent {
    return { event: this.eventName, data: this.dataLines.join("\n"), id: this.lastId };
  }

  private reset(): void {
    this.eventName = undefined;
    this.dataLines = [];
  }
}

/** Decodes a whole SSE text at once (fixtures, tests, the bench). */
export function parseSseText(text: string): { events: SseEvent[]; unterminated: SseEvent | undefined } {
  const decoder = new SseDecoder();
  const events = decoder.push(text);
  return { events, unterminated: decoder.end() };
}
