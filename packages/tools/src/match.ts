/**
 * Where an edit's search text is, and when it is not there, what it was
 * probably meant to be: the chain line-trimmed → whitespace-tolerant → fuzzy.
 * Candidates are reported, never applied: the model copies the exact text.
 */

export type MatchStrategy = "line-trimmed" | "whitespace" | "fuzzy";

export interface MatchCandidate {
  strategy: MatchStrategy;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  /** The file's exact text over those lines. */
  text: string;
  /** 0..1, for fuzzy candidates. */
  similarity?: number;
}

/** Offsets of every non-overlapping exact occurrence. */
export function findExact(content: string, search: string): number[] {
  const offsets: number[] = [];
  if (search === "") return offsets;
  for (let at = content.indexOf(search); at !== -1; at = content.indexOf(search, at + search.length)) {
    offsets.push(at);
  }
  return offsets;
}

function searchLines(search: string): string[] {
  const lines = search.split(/\r?\n/);
  while (lines.length > 1 && lines[lines.length - 1]?.trim() === "") lines.pop();
  while (lines.length > 1 && lines[0]?.trim() === "") lines.shift();
  return lines;
}

function lineTrimmed(lines: readonly string[], wanted: readonly string[]): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  const trimmed = wanted.map((line) => line.trim());
  for (let start = 0; start + trimmed.length <= lines.length; start++) {
    if (trimmed.every((line, i) => lines[start + i]?.trim() === line)) {
      ranges.push([start, start + trimmed.length - 1]);
    }
  }
  return ranges;
}

/** Every whitespace run becomes one space; `origin[i]` is the content offset of normalised char i. */
function collapseWhitespace(text: string): { normal: string; origin: number[] } {
  let normal = "";
  const origin: number[] = [];
  let inSpace = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    if (/\s/.test(char)) {
      if (!inSpace && normal !== "") {
        normal += " ";
        origin.push(i);
      }
      inSpace = true;
      continue;
    }
    inSpace = false;
    normal += char;
    origin.push(i);
  }
  return { normal, origin };
}

function whitespaceTolerant(
  content: string,
  search: string,
  lineStarts: readonly number[],
): Array<[number, number]> {
  const needle = collapseWhitespace(search).normal.trim();
  if (needle === "") return [];
  const { normal, origin } = collapseWhitespace(content);
  const ranges: Array<[number, number]> = [];
  for (let at = normal.indexOf(needle); at !== -1; at = normal.indexOf(needle, at + needle.length)) {
    const start = origin[at] ?? 0;
    const end = origin[at + needle.length - 1] ?? start;
    ranges.push([lineIndexOf(lineStarts, start), lineIndexOf(lineStarts, end)]);
  }
  return ranges;
}

function lineIndexOf(lineStarts: readonly number[], offset: number): number {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if ((lineStarts[mid] ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

function bigrams(text: string, into: Map<string, number>, sign: 1 | -1): number {
  // Padding with newlines gives a one-character line ("}") and an empty line bigrams of their own.
  const normal = `\n${text.trim().replace(/\s+/g, " ")}\n`;
  for (let i = 0; i + 1 < normal.length; i++) {
    const gram = normal.slice(i, i + 2);
    into.set(gram, (into.get(gram) ?? 0) + sign);
  }
  return Math.max(0, normal.length - 1);
}

/** Fuzzy work is skipped past this many line-window comparisons (a huge file would stall the turn). */
const FUZZY_BUDGET = 4_000_000;
const FUZZY_THRESHOLD = 0.6;

/**
 * Windows of the search's line count ranked by the Dice coefficient of
 * character bigrams (whitespace-collapsed), computed with a sliding window.
 */
function fuzzy(lines: readonly string[], wanted: readonly string[]): Array<[number, number, number]> {
  const size = wanted.length;
  if (size === 0 || size > lines.length) return [];
  const target = new Map<string, number>();
  let targetCount = 0;
  for (const line of wanted) targetCount += bigrams(line, target, 1);
  if (targetCount === 0 || lines.length * target.size > FUZZY_BUDGET) return [];

  const window = new Map<string, number>();
  let windowCount = 0;
  const scored: Array<[number, number, number]> = [];
  for (let i = 0; i < lines.length; i++) {
    windowCount += bigrams(lines[i] ?? "", window, 1);
    if (i >= size) windowCount -= bigrams(lines[i - size] ?? "", window, -1);
    if (i < size - 1) continue;
    let shared = 0;
    for (const [gram, count] of target) shared += Math.min(count, window.get(gram) ?? 0);
    const score = (2 * shared) / (targetCount + windowCount);
    if (score >= FUZZY_THRESHOLD) scored.push([i - size + 1, i, score]);
  }
  return scored.sort((a, b) => b[2] - a[2]);
}

/** Up to `max` distinct places the search text was probably meant to match. */
export function findCandidates(content: string, search: string, max = 3): MatchCandidate[] {
  const lines = content.split("\n");
  const lineStarts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    lineStarts.push(offset);
    offset += line.length + 1;
  }
  const wanted = searchLines(search);
  const candidates: MatchCandidate[] = [];
  const add = (strategy: MatchStrategy, start: number, end: number, similarity?: number) => {
    if (candidates.length >= max) return;
    if (candidates.some((c) => start + 1 <= c.endLine && end + 1 >= c.startLine)) return;
    const text = lines
      .slice(start, end + 1)
      .map((line) => line.replace(/\r$/, ""))
      .join("\n");
    candidates.push({ strategy, startLine: start + 1, endLine: end + 1, text, similarity });
  };
  for (const [start, end] of lineTrimmed(lines, wanted)) add("line-trimmed", start, end);
  for (const [start, end] of whitespaceTolerant(content, search, lineStarts)) add("whitespace", start, end);
  for (const [start, end, score] of fuzzy(lines, wanted)) add("fuzzy", start, end, score);
  return candidates;
}

const STRATEGY_LABEL: Record<MatchStrategy, string> = {
  "line-trimmed": "same lines except leading/trailing whitespace",
  whitespace: "same text except whitespace",
  fuzzy: "similar text",
};

/** The model-facing explanation of a failed search, with the candidates' exact text. */
export function describeCandidates(rel: string, candidates: readonly MatchCandidate[]): string {
  const head = `old_string was not found in ${rel}.`;
  if (candidates.length === 0) {
    return `${head} No similar text either: read the file again and copy the exact lines to replace.`;
  }
  const parts = candidates.map((candidate, i) => {
    const similarity =
      candidate.similarity === undefined ? "" : `, ${Math.round(candidate.similarity * 100)}% similar`;
    const lines =
      candidate.startLine === candidate.endLine
        ? `line ${candidate.startLine}`
        : `lines ${candidate.startLine}-${candidate.endLine}`;
    return `${i + 1}. ${lines} (${STRATEGY_LABEL[candidate.strategy]}${similarity}):\n${candidate.text}`;
  });
  return `${head} Closest candidates; copy the exact text of the one you meant into old_string:\n\n${parts.join("\n\n")}`;
}
