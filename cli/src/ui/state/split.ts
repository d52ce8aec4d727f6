/**
 * Where to cut a streaming markdown answer so that the finished part can be
 * printed once (Ink `<Static>`) and only a small tail re-renders per token.
 *
 * The preferred cut is after the last blank line outside a code fence: every
 * markdown block before it is complete. When the tail still grows past
 * `maxLines` (a long code block or one long list) it is cut at its last line
 * break instead; inside a fence the committed part is closed with a fence and
 * the tail reopens it with the same info string, so both halves still render
 * as code.
 */
export interface StreamSplit {
  commit: string;
  tail: string;
}

interface Fence {
  marker: string;
  /** The opening line, reused to reopen the fence in the tail. */
  line: string;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;

export function splitStreaming(text: string, maxLines: number): StreamSplit | undefined {
  let fence: Fence | undefined;
  let lastBlank = -1;
  let lastBreak = -1;
  let fenceAtLastBreak: Fence | undefined;
  let lines = 0;
  let start = 0;
  while (start < text.length) {
    const end = text.indexOf("\n", start);
    if (end === -1) break; // an unfinished line is never cut
    const line = text.slice(start, end);
    lines++;
    const match = FENCE.exec(line);
    if (match?.[1]) {
      const marker = match[1];
      if (fence === undefined) {
        fence = { marker, line };
      } else if (
        marker[0] === fence.marker[0] &&
        marker.length >= fence.marker.length &&
        (match[2] ?? "").trim() === ""
      ) {
        fence = undefined;
      }
    } else if (fence === undefined && line.trim() === "") {
      lastBlank = end + 1;
    }
    lastBreak = end + 1;
    fenceAtLastBreak = fence;
    start = end + 1;
  }
  if (lastBlank > 0 && text.slice(0, lastBlank).trim() !== "") {
    return { commit: text.slice(0, lastBlank), tail: text.slice(lastBlank) };
  }
  if (lines <= maxLines || lastBreak <= 0) return undefined;
  const commit = text.slice(0, lastBreak);
  const rest = text.slice(lastBreak);
  if (fenceAtLastBreak === undefined) return { commit, tail: rest };
  return {
    commit: `${commit}${fenceAtLastBreak.marker}\n`,
    tail: `${fenceAtLastBreak.line}\n${rest}`,
  };
}
