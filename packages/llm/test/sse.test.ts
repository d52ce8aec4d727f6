import { describe, expect, it } from "vitest";
import { parseSseText, SseDecoder, type SseEvent } from "../src/wire/sse.js";

// WHATWG SSE rules, including the splits a network produces.

function feedBytes(bytes: Uint8Array, cuts: number[]): SseEvent[] {
  const decoder = new SseDecoder();
  const out: SseEvent[] = [];
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    out.push(...decoder.push(bytes.subarray(start, cut)));
    start = cut;
  }
  return out;
}

describe("SseDecoder", () => {
  it("handles LF, CRLF and CR line ends, comments, names, ids and multi-line data", () => {
    const text = ": comment\r\nevent: a\r\ndata: one\r\ndata:two\r\nid: 7\r\n\r\ndata: x\rdata:  y\r\r";
    const { events } = parseSseText(text);
    expect(events).toEqual([
      { event: "a", data: "one\ntwo", id: "7" },
      { event: undefined, data: "x\n y", id: "7" },
    ]);
  });

  it("never dispatches an event with empty data", () => {
    expect(parseSseText("id: 1\ndata: \n\nevent: ping\n\n").events).toEqual([]);
  });

  it("reassembles bytes split anywhere, including inside a UTF-8 character and between CR and LF", () => {
    const text = 'data: {"t":"héllo 👋 \u2028 ok"}\r\n\r\ndata: second\r\n\r\n';
    const bytes = new TextEncoder().encode(text);
    const expected = parseSseText(text).events;
    expect(expected).toHaveLength(2);
    for (let cut = 1; cut < bytes.length; cut++) expect(feedBytes(bytes, [cut])).toEqual(expected);
    expect(
      feedBytes(
        bytes,
        Array.from({ length: bytes.length - 1 }, (_, i) => i + 1),
      ),
    ).toEqual(expected);
  });

  it("returns an event left without its closing blank line separately", () => {
    const decoder = new SseDecoder();
    expect(decoder.push('data: {"a":1}\n\ndata: {"b"')).toHaveLength(1);
    expect(decoder.end()).toEqual({ event: undefined, data: '{"b"', id: undefined });
  });
});
