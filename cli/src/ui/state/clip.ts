/**
 * The last lines of `text` that fit in `maxRows` terminal rows at `width`
 * columns (a line longer than the width takes several rows). Ink reprints the
 * whole screen when its live area reaches the terminal's height, so the live
 * area must always stay shorter than that; the reducer commits long tails,
 * and this clip is the safety net for one long wrapped paragraph.
 */
export function clipToRows(
  text: string,
  width: number,
  maxRows: number,
): { text: string; hiddenLines: number } {
  const lines = text.split("\n");
  let rows = 0;
  let first = lines.length;
  while (first > 0) {
    const line = lines[first - 1] ?? "";
    const needed = Math.max(1, Math.ceil(line.length / Math.max(1, width)));
    if (rows + needed > maxRows && first < lines.length) break;
    rows += needed;
    first--;
  }
  const kept = lines.slice(first).join("\n");
  // A fence opened in the hidden part still applies to the kept lines.
  let opener: string | undefined;
  for (const line of lines.slice(0, first)) {
    if (/^ {0,3}(`{3,}|~{3,})/.test(line)) opener = opener === undefined ? line : undefined;
  }
  return { text: opener === undefined ? kept : `${opener}\n${kept}`, hiddenLines: first };
}
