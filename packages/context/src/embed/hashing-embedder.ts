import { tokenize } from "../search/tokenize.js";
import { type Embedder, normalize } from "./port.js";

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Feature hashing of words and character trigrams: no model, no corpus, so it
 * works anywhere (the semantic router's offline default). Matches shared and
 * near-identical words, not synonyms.
 */
export class HashingEmbedder implements Embedder {
  readonly id: string;

  constructor(readonly dimensions = 512) {
    this.id = `hashing:${dimensions}`;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    return texts.map((t) => this.embedOne(t));
  }

  embedOne(text: string): Float32Array {
    const v = new Float32Array(this.dimensions);
    const add = (feature: string, weight: number) => {
      const h = fnv1a(feature);
      const i = h % this.dimensions;
      v[i] = (v[i] ?? 0) + (h & 0x80000000 ? -weight : weight);
    };
    for (const token of tokenize(text)) {
      add(`w:${token}`, 1);
      const padded = `^${token}$`;
      for (let i = 0; i + 3 <= padded.length; i++) add(`c:${padded.slice(i, i + 3)}`, 0.3);
    }
    return normalize(v);
  }
}
