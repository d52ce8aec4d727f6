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

const LF = 10;
const COLON = 58;
const SPACE = 32;
const LOWER_D = 100;

// Per chunk: one concatenation only when a line was left over, native
// indexOf scans, and no slice but the value's (this runs once per streamed event).
export class SseDecoder {
  private readonly utf8 = new TextDecoder("utf-8");
  /** The unfinished line the last chunk ended with. */
  private buffer = "";
  /** The previous chunk ended with CR: a leading LF in the next one belongs to it. */
  private pendingCr = false;
  private eventName: string | undefined;
  /** The event's data lines joined with "\n"; `hasData` tells "" from none. */
  private data = "";
  private hasData = false;
  private lastId: string | undefined;

  /** Feeds bytes (or already-decoded text); returns the events they complete. */
  push(chunk: Uint8Array | string): SseEvent[] {
    let text = typeof chunk === "string" ? chunk : this.utf8.decode(chunk, { stream: true });
    if (this.pendingCr && text !== "") {
      if (text.charCodeAt(0) === LF) text = text.slice(1);
      this.pendingCr = false;
    }
    const out: SseEvent[] = [];
    const buf = this.buffer === "" ? text : this.buffer + text;
    const len = buf.length;
    let start = 0;
    let cr = buf.indexOf("\r");
    let lf = buf.indexOf("\n");
    for (;;) {
      let end: number;
      let next: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        end = cr;
        if (cr + 1 < len) next = buf.charCodeAt(cr + 1) === LF ? cr + 2 : cr + 1;
        else {
          this.pendingCr = true;
          next = len;
        }
      } else if (lf !== -1) {
        end = lf;
        next = lf + 1;
      } else break;
      this.line(buf, start, end, out);
      start = next;
      if (cr !== -1 && cr < start) cr = buf.indexOf("\r", start);
      if (lf !== -1 && lf < start) lf = buf.indexOf("\n", start);
    }
    this.buffer = start === 0 ? buf : start >= len ? "" : buf.slice(start);
    return out;
  }

  /** Ends the input. Returns an event left without its closing blank line, if any (the stream was cut). */
  end(): SseEvent | undefined {
    const rest = this.buffer + this.utf8.decode();
    this.buffer = "";
    if (rest !== "") this.line(rest, 0, rest.length, []);
    const event = this.hasData && this.data !== "" ? this.currentEvent() : undefined;
    this.reset();
    return event;
  }

  /** Handles buf[start, end), one line without its end. */
  private line(buf: string, start: number, end: number, out: SseEvent[]): void {
    if (start === end) {
      if (this.hasData && this.data !== "") out.push(this.currentEvent());
      this.reset();
      return;
    }
    const first = buf.charCodeAt(start);
    if (first === COLON) return; // a comment
    // The common line first; "data:" cannot run past `end` (a line holds no CR or LF).
    if (first === LOWER_D && buf.startsWith("data:", start)) {
      this.addData(buf, start + 5, end);
      return;
    }
    const colon = buf.indexOf(":", start);
    const fieldEnd = colon === -1 || colon > end ? end : colon;
    const field = buf.slice(start, fieldEnd);
    switch (field) {
      case "event":
        this.eventName = fieldValue(buf, fieldEnd + 1, end);
        return;
      case "data":
        this.addData(buf, fieldEnd + 1, end);
        return;
      case "id": {
        const value = fieldValue(buf, fieldEnd + 1, end);
        if (!value.includes("\0")) this.lastId = value;
        return;
      }
      default:
        return; // retry: and unknown fields are ignored
    }
  }

  private addData(buf: string, from: number, end: number): void {
    const value = fieldValue(buf, from, end);
    if (this.hasData) this.data += `\n${value}`;
    else {
      this.data = value;
      this.hasData = true;
    }
  }

  private currentEvent(): SseEvent {
    return { event: this.eventName, data: this.data, id: this.lastId };
  }

  private reset(): void {
    this.eventName = undefined;
    this.data = "";
    this.hasData = false;
  }
}

/** The field's value in buf[from, end), less one leading space; "" when the line had no colon (from > end). */
function fieldValue(buf: string, from: number, end: number): string {
  if (from >= end) return "";
  return buf.slice(buf.charCodeAt(from) === SPACE ? from + 1 : from, end);
}

/** Decodes a whole SSE text at once (fixtures, tests, the bench). */
export function parseSseText(text: string): { events: SseEvent[]; unterminated: SseEvent | undefined } {
  const decoder = new SseDecoder();
  const events = decoder.push(text);
  return { events, unterminated: decoder.end() };
}
