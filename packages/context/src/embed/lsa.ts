import { tokenize } from "../search/tokenize.js";
import { type Embedder, normalize } from "./port.js";

export interface LsaOptions {
  /** Dimensions of the space (fewer when the corpus is small). Default 128. */
  dimensions?: number;
  /** Vocabulary cap, most widespread terms kept. Default 30,000. */
  maxTerms?: number;
  /** Seed for the random projection, for reproducible spaces. */
  seed?: number;
}

type Sparse = { idx: Int32Array; val: Float64Array };

/**
 * Latent semantic analysis built from the repository itself: TF-IDF over the
 * code-aware tokens, reduced by a randomised truncated SVD. No weights to
 * download; it learns which identifiers co-occur in this codebase.
 */
export class LsaEmbedder implements Embedder {
  readonly id: string;

  private constructor(
    private readonly vocab: Map<string, number>,
    private readonly idf: Float64Array,
    /** terms × dimensions, row-major. */
    private readonly projection: Float64Array,
    readonly dimensions: number,
  ) {
    this.id = `lsa:${dimensions}:${vocab.size}`;
  }

  static build(corpus: readonly string[], options: LsaOptions = {}): LsaEmbedder {
    const docs = corpus.map((text) => tokenize(text));
    const df = new Map<string, number>();
    for (const doc of docs) for (const t of new Set(doc)) df.set(t, (df.get(t) ?? 0) + 1);
    const n = docs.length;
    const terms = [...df.entries()]
      .filter(([, d]) => d >= 2 && d <= Math.max(2, n * 0.5))
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, options.maxTerms ?? 30_000);
    const vocab = new Map(terms.map(([t], i) => [t, i]));
    const idf = Float64Array.from(terms, ([, d]) => Math.log((n + 1) / (d + 1)) + 1);
    const rows = docs.map((doc) => weigh(doc, vocab, idf));
    const k = Math.max(1, Math.min(options.dimensions ?? 128, vocab.size - 1, n - 1));
    const projection = truncatedSvd(rows, vocab.size, k, options.seed ?? 7);
    return new LsaEmbedder(vocab, idf, projection, k);
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    return texts.map((text) => this.embedOne(text));
  }

  embedOne(text: string): Float32Array {
    const row = weigh(tokenize(text), this.vocab, this.idf);
    const k = this.dimensions;
    const out = new Float32Array(k);
    for (let e = 0; e < row.idx.length; e++) {
      const base = (row.idx[e] ?? 0) * k;
      const v = row.val[e] ?? 0;
      for (let j = 0; j < k; j++) out[j] = (out[j] ?? 0) + v * (this.projection[base + j] ?? 0);
    }
    return normalize(out);
  }
}

/** Sublinear TF × IDF, L2-normalised. */
function weigh(tokens: string[], vocab: Map<string, number>, idf: Float64Array): Sparse {
  const tf = new Map<number, number>();
  for (const t of tokens) {
    const i = vocab.get(t);
    if (i !== undefined) tf.set(i, (tf.get(i) ?? 0) + 1);
  }
  const idx = Int32Array.from(tf.keys());
  const val = Float64Array.from(tf.entries(), ([i, c]) => (1 + Math.log(c)) * (idf[i] ?? 0));
  let norm = 0;
  for (const v of val) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < val.length; i++) val[i] = (val[i] ?? 0) / norm;
  return { idx, val };
}

/** Deterministic Gaussian numbers (mulberry32 + Box-Muller). */
function gaussian(seed: number): () => number {
  let s = seed >>> 0;
  const uniform = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform() + 1e-12)) * Math.cos(2 * Math.PI * uniform());
}

/**
 * Randomised SVD (Halko et al.) of the docs × terms matrix: returns V (terms ×
 * k), the term projection, so a text's embedding is its TF-IDF row times V.
 */
function truncatedSvd(rows: Sparse[], nTerms: number, k: number, seed: number): Float64Array {
  const l = k + 10;
  const nDocs = rows.length;
  const rand = gaussian(seed);
  // Y = X Ω, with two power iterations Y = X (Xᵀ Y) to sharpen the spectrum.
  const omega = new Float64Array(nTerms * l).map(() => rand());
  let y = multiplyX(rows, omega, l, nDocs);
  for (let q = 0; q < 2; q++) {
    orthonormalize(y, nDocs, l);
    y = multiplyX(rows, multiplyXt(rows, y, l, nTerms), l, nDocs);
  }
  orthonormalize(y, nDocs, l);
  // Bᵀ = Xᵀ Q (terms × l); the small Gram matrix B Bᵀ (l × l) gives B's left singular vectors.
  const bt = multiplyXt(rows, y, l, nTerms);
  const gram = new Float64Array(l * l);
  for (let t = 0; t < nTerms; t++) {
    for (let a = 0; a < l; a++) {
      const x = bt[t * l + a] ?? 0;
      if (x === 0) continue;
      for (let b = a; b < l; b++) gram[a * l + b] = (gram[a * l + b] ?? 0) + x * (bt[t * l + b] ?? 0);
    }
  }
  for (let a = 0; a < l; a++) for (let b = 0; b < a; b++) gram[a * l + b] = gram[b * l + a] ?? 0;
  const { values, vectors } = jacobiEigen(gram, l);
  const order = [...values.keys()].sort((a, b) => (values[b] ?? 0) - (values[a] ?? 0)).slice(0, k);
  // V = Bᵀ U / σ.
  const v = new Float64Array(nTerms * k);
  order.forEach((col, j) => {
    const sigma = Math.sqrt(Math.max(values[col] ?? 0, 1e-12));
    for (let t = 0; t < nTerms; t++) {
      let s = 0;
      for (let a = 0; a < l; a++) s += (bt[t * l + a] ?? 0) * (vectors[a * l + col] ?? 0);
      v[t * k + j] = s / sigma;
    }
  });
  return v;
}

/** X (docs × terms, sparse) times M (terms × l) → docs × l. */
function multiplyX(rows: Sparse[], m: Float64Array, l: number, nDocs: number): Float64Array {
  const out = new Float64Array(nDocs * l);
  rows.forEach((row, d) => {
    for (let e = 0; e < row.idx.length; e++) {
      const base = (row.idx[e] ?? 0) * l;
      const v = row.val[e] ?? 0;
      for (let j = 0; j < l; j++) out[d * l + j] = (out[d * l + j] ?? 0) + v * (m[base + j] ?? 0);
    }
  });
  return out;
}

/** Xᵀ (terms × docs) times M (docs × l) → terms × l. */
function multiplyXt(rows: Sparse[], m: Float64Array, l: number, nTerms: number): Float64Array {
  const out = new Float64Array(nTerms * l);
  rows.forEach((row, d) => {
    for (let e = 0; e < row.idx.length; e++) {
      const base = (row.idx[e] ?? 0) * l;
      const v = row.val[e] ?? 0;
      for (let j = 0; j < l; j++) out[base + j] = (out[base + j] ?? 0) + v * (m[d * l + j] ?? 0);
    }
  });
  return out;
}

/** Modified Gram-Schmidt on the columns of an n × l row-major matrix, in place. */
function orthonormalize(m: Float64Array, n: number, l: number): void {
  for (let j = 0; j < l; j++) {
    for (let p = 0; p < j; p++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += (m[i * l + j] ?? 0) * (m[i * l + p] ?? 0);
      for (let i = 0; i < n; i++) m[i * l + j] = (m[i * l + j] ?? 0) - dot * (m[i * l + p] ?? 0);
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += (m[i * l + j] ?? 0) ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < n; i++) m[i * l + j] = (m[i * l + j] ?? 0) / norm;
  }
}

/** Eigen-decomposition of a symmetric l × l matrix by cyclic Jacobi rotations. */
function jacobiEigen(input: Float64Array, l: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(input);
  const v = new Float64Array(l * l);
  for (let i = 0; i < l; i++) v[i * l + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < l; p++) for (let q = p + 1; q < l; q++) off += (a[p * l + q] ?? 0) ** 2;
    if (off < 1e-18) break;
    for (let p = 0; p < l; p++) {
      for (let q = p + 1; q < l; q++) {
        const apq = a[p * l + q] ?? 0;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = ((a[q * l + q] ?? 0) - (a[p * l + p] ?? 0)) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < l; r++) {
          const arp = a[r * l + p] ?? 0;
          const arq = a[r * l + q] ?? 0;
          a[r * l + p] = c * arp - s * arq;
          a[r * l + q] = s * arp + c * arq;
        }
        for (let r = 0; r < l; r++) {
          const apr = a[p * l + r] ?? 0;
          const aqr = a[q * l + r] ?? 0;
          a[p * l + r] = c * apr - s * aqr;
          a[q * l + r] = s * apr + c * aqr;
        }
        for (let r = 0; r < l; r++) {
          const vrp = v[r * l + p] ?? 0;
          const vrq = v[r * l + q] ?? 0;
          v[r * l + p] = c * vrp - s * vrq;
          v[r * l + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  const values = new Float64Array(l);
  for (let i = 0; i < l; i++) values[i] = a[i * l + i] ?? 0;
  return { values, vectors: v };
}
