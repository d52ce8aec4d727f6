/**
 * Fuzzy matching for the command palette and `@` file mentions: the query's
 * characters must appear in order (case-insensitive); matches at word starts,
 * runs of consecutive characters and matches in a path's file name score
 * higher, and shorter candidates win ties.
 */
export function fuzzyScore(query: string, candidate: string): number | undefined {
  if (query === "") return 0;
  const q = query.toLowerCase();
  const c = candidate.toLowerCase();
  const nameStart = candidate.lastIndexOf("/") + 1;
  let score = 0;
  let from = 0;
  let previous = -2;
  for (const char of q) {
    const index = c.indexOf(char, from);
    if (index === -1) return undefined;
    let points = 1;
    if (index === previous + 1) points += 5;
    const before = candidate[index - 1];
    if (index === 0 || before === "/" || before === "-" || before === "_" || before === "." || before === " ")
      points += 8;
    else if (/[a-z]/.test(before ?? "") && /[A-Z]/.test(candidate[index] ?? "")) points += 6;
    if (index >= nameStart) points += 2;
    score += points;
    previous = index;
    from = index + 1;
  }
  if (c.includes(q)) score += 10;
  return score - candidate.length * 0.05;
}

export function fuzzyFilter<T>(
  query: string,
  items: readonly T[],
  key: (item: T) => string,
  limit = 50,
): T[] {
  const scored: { item: T; score: number; order: number }[] = [];
  items.forEach((item, order) => {
    const score = fuzzyScore(query, key(item));
    if (score !== undefined) scored.push({ item, score, order });
  });
  // Equal scores keep the input order (e.g. recent first).
  scored.sort((a, b) => b.score - a.score || a.order - b.order);
  return scored.slice(0, limit).map((entry) => entry.item);
}
