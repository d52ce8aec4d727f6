// How content is cut into deltas. Real services send about one token per delta;
// a word (with its leading whitespace) is close enough and keeps pacing readable.

/** Splits text into word-sized deltas whose concatenation is exactly `text`. */
export function splitText(text: string): string[] {
  return text.match(/\s*\S+|\s+/gu) ?? [];
}

/**
 * Splits a JSON string into fragments of at most `size` code points (never inside
 * a surrogate pair), like the argument fragments the real services stream.
 */
export function splitJson(json: string, size = 8): string[] {
  const points = Array.from(json);
  const out: string[] = [];
  for (let i = 0; i < points.length; i += size) out.push(points.slice(i, i + size).join(""));
  return out;
}

/** A rough token count (4 characters a token), used for default usage numbers. */
export function estimateTokens(chars: number): number {
  return Math.ceil(chars / 4);
}
