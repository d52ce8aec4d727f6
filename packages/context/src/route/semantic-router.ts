import { HashingEmbedder } from "../embed/hashing-embedder.js";
import { cosine, type Embedder } from "../embed/port.js";

export interface Route<T extends string = string> {
  name: T;
  /** Example requests that belong to this route. */
  utterances: readonly string[];
}

export interface RouteDecision<T extends string = string> {
  route: T;
  /** Best cosine against the route's examples (0 when the default was taken for lack of any match). */
  confidence: number;
  /** The example that matched best, or undefined when the default was used. */
  matched?: string;
  usedDefault: boolean;
}

export interface SemanticRouterOptions<T extends string> {
  routes: readonly Route<T>[];
  /** Taken when no route reaches the threshold. */
  defaultRoute: T;
  /** Minimum cosine to accept a route. Default 0.35 (tuned for the hashing embedder). */
  threshold?: number;
  /** Default: `HashingEmbedder` (offline). Pass an OpenAI-compatible embedder for synonyms. */
  embedder?: Embedder;
}

/** The small interface the models layer consumes for tier choice. */
export interface Router<T extends string = string> {
  route(text: string): Promise<RouteDecision<T>>;
}

/** Routes a request to the route whose example utterances it is closest to. */
export class SemanticRouter<T extends string> implements Router<T> {
  private readonly embedder: Embedder;
  private readonly threshold: number;
  private examples: Promise<Array<{ route: T; text: string; vector: Float32Array }>> | undefined;

  constructor(private readonly options: SemanticRouterOptions<T>) {
    this.embedder = options.embedder ?? new HashingEmbedder();
    this.threshold = options.threshold ?? 0.35;
  }

  async route(text: string): Promise<RouteDecision<T>> {
    const examples = await this.loadExamples();
    const [query] = await this.embedder.embed([text]);
    let best: { route: T; text: string; score: number } | undefined;
    for (const e of examples) {
      const score = query ? cosine(query, e.vector) : 0;
      if (!best || score > best.score) best = { route: e.route, text: e.text, score };
    }
    if (!best || best.score < this.threshold) {
      return { route: this.options.defaultRoute, confidence: best?.score ?? 0, usedDefault: true };
    }
    return { route: best.route, confidence: best.score, matched: best.text, usedDefault: false };
  }

  private loadExamples(): Promise<Array<{ route: T; text: string; vector: Float32Array }>> {
    this.examples ??= (async () => {
      const flat = this.options.routes.flatMap((r) => r.utterances.map((text) => ({ route: r.name, text })));
      const vectors = await this.embedder.embed(flat.map((f) => f.text));
      return flat.map((f, i) => ({ ...f, vector: vectors[i] ?? new Float32Array(this.embedder.dimensions) }));
    })();
    return this.examples;
  }
}
