/** One retriever's ranked output: keys best first, each with why it was found. */
export interface Channel {
  name: string;
  weight: number;
  items: ReadonlyArray<ChannelItem>;
}

export interface ChannelItem {
  key: string;
  reason: string;
  /** The retriever's own score (higher is better); used by `scoreFusion`. */
  score?: number;
}

export interface Fused {
  key: string;
  score: number;
  reasons: string[];
}

/**
 * Weighted reciprocal rank fusion: score = Σ weight / (k + rank). Rank-based,
 * so BM25 scores, cosines and graph hops need no common scale.
 */
export function reciprocalRankFusion(channels: readonly Channel[], k = 60): Fused[] {
  const fused = new Map<string, Fused>();
  for (const channel of channels) {
    const seen = new Set<string>();
    let rank = 0;
    for (const item of channel.items) {
      if (seen.has(item.key)) continue;
      seen.add(item.key);
      rank++;
      let entry = fused.get(item.key);
      if (!entry) {
        entry = { key: item.key, score: 0, reasons: [] };
        fused.set(item.key, entry);
      }
      entry.score += channel.weight / (k + rank);
      entry.reasons.push(item.reason);
    }
  }
  return [...fused.values()].sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : 1));
}

/**
 * CombSUM over max-normalised scores: each channel's best item scores 1, the
 * rest in proportion. Unlike RRF it keeps the margins a retriever measured
 * (BM25's first hit far ahead of its second), which matters when few strong
 * channels are fused. A key's score within a channel is its best item's.
 */
export function scoreFusion(channels: readonly Channel[]): Fused[] {
  const fused = new Map<string, Fused>();
  for (const channel of channels) {
    const best = new Map<string, ChannelItem>();
    for (const item of channel.items) {
      const prev = best.get(item.key);
      if (!prev || (item.score ?? 0) > (prev.score ?? 0)) best.set(item.key, item);
    }
    let max = 0;
    for (const item of best.values()) max = Math.max(max, item.score ?? 0);
    if (max <= 0) continue;
    for (const item of best.values()) {
      let entry = fused.get(item.key);
      if (!entry) {
        entry = { key: item.key, score: 0, reasons: [] };
        fused.set(item.key, entry);
      }
      entry.score += (channel.weight * (item.score ?? 0)) / max;
      entry.reasons.push(item.reason);
    }
  }
  return [...fused.values()].sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : 1));
}
