/** Weighted directed graph as adjacency: source → (target → weight). */
export type Adjacency = ReadonlyMap<string, ReadonlyMap<string, number>>;

export interface PageRankOptions {
  damping?: number;
  tolerance?: number;
  maxIterations?: number;
  /** Teleport weights (need not sum to 1); uniform over nodes when absent or all zero. */
  personalization?: ReadonlyMap<string, number>;
  /** Previous ranks: a warm start converges in a few iterations after a small edit. */
  initial?: ReadonlyMap<string, number>;
}

export interface PageRankResult {
  ranks: Map<string, number>;
  iterations: number;
}

/** Personalised PageRank by power iteration; dangling mass goes back through the teleport vector. */
export function pageRank(
  nodes: readonly string[],
  edges: Adjacency,
  options: PageRankOptions = {},
): PageRankResult {
  const damping = options.damping ?? 0.85;
  const tolerance = options.tolerance ?? 1e-6;
  const maxIterations = options.maxIterations ?? 100;
  const n = nodes.length;
  if (n === 0) return { ranks: new Map(), iterations: 0 };
  const index = new Map(nodes.map((node, i) => [node, i]));

  const teleport = new Float64Array(n);
  let teleportSum = 0;
  for (const [node, weight] of options.personalization ?? []) {
    const i = index.get(node);
    if (i !== undefined && weight > 0) {
      teleport[i] = (teleport[i] ?? 0) + weight;
      teleportSum += weight;
    }
  }
  if (teleportSum === 0) teleport.fill(1 / n);
  else for (let i = 0; i < n; i++) teleport[i] = (teleport[i] ?? 0) / teleportSum;

  // Compressed out-edges with weights normalised per source.
  const outStart = new Int32Array(n + 1);
  const targets: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < n; i++) {
    outStart[i] = targets.length;
    const out = edges.get(nodes[i] ?? "");
    if (!out) continue;
    let total = 0;
    for (const [t, w] of out) if (index.has(t) && w > 0) total += w;
    if (total === 0) continue;
    for (const [t, w] of out) {
      const j = index.get(t);
      if (j !== undefined && w > 0) {
        targets.push(j);
        weights.push(w / total);
      }
    }
  }
  outStart[n] = targets.length;

  let rank = new Float64Array(n);
  let initSum = 0;
  for (let i = 0; i < n; i++) {
    const v = options.initial?.get(nodes[i] ?? "") ?? 1 / n;
    rank[i] = v;
    initSum += v;
  }
  for (let i = 0; i < n; i++) rank[i] = (rank[i] ?? 0) / initSum;

  let iterations = 0;
  while (iterations < maxIterations) {
    iterations++;
    const next = new Float64Array(n);
    let dangling = 0;
    for (let i = 0; i < n; i++) {
      const r = rank[i] ?? 0;
      const from = outStart[i] ?? 0;
      const to = outStart[i + 1] ?? 0;
      if (from === to) dangling += r;
      for (let e = from; e < to; e++) {
        const j = targets[e] ?? 0;
        next[j] = (next[j] ?? 0) + damping * r * (weights[e] ?? 0);
      }
    }
    let delta = 0;
    for (let i = 0; i < n; i++) {
      const v = (next[i] ?? 0) + (damping * dangling + (1 - damping)) * (teleport[i] ?? 0);
      delta += Math.abs(v - (rank[i] ?? 0));
      next[i] = v;
    }
    rank = next;
    if (delta < tolerance) break;
  }
  return { ranks: new Map(nodes.map((node, i) => [node, rank[i] ?? 0])), iterations };
}
