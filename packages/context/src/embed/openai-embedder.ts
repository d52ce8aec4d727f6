import { type Embedder, EmbeddingError } from "./port.js";

export interface OpenAIEmbedderOptions {
  /** Base URL up to and including `/v1`, e.g. http://127.0.0.1:8000/v1 (vLLM, Ollama, TEI, OpenAI). */
  baseUrl: string;
  model: string;
  dimensions: number;
  apiKey?: string;
  /** Texts per request. Default 64. */
  batchSize?: number;
  timeoutMs?: number;
}

interface EmbeddingsResponse {
  data?: Array<{ index?: number; embedding?: unknown }>;
}

/** Any server speaking OpenAI's `POST /v1/embeddings`. */
export class OpenAIEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;

  constructor(private readonly options: OpenAIEmbedderOptions) {
    this.id = `openai:${options.model}`;
    this.dimensions = options.dimensions;
  }

  async embed(texts: readonly string[], opts: { signal?: AbortSignal } = {}): Promise<Float32Array[]> {
    const size = this.options.batchSize ?? 64;
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += size) {
      out.push(...(await this.batch(texts.slice(i, i + size), opts.signal)));
    }
    return out;
  }

  private async batch(input: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const url = `${this.options.baseUrl.replace(/\/+$/, "")}/embeddings`;
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 60_000);
    let response: Response;
    try {
      response = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
        },
        body: JSON.stringify({ model: this.options.model, input }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      throw new EmbeddingError(`embeddings request to ${url} failed: ${String(error)}`);
    }
    if (!response.ok) {
      const body = await response.text().catch(() => "");
      throw new EmbeddingError(
        `embeddings server answered ${response.status}: ${body.slice(0, 200)}`,
        response.status,
      );
    }
    const json = (await response.json()) as EmbeddingsResponse;
    const data = json.data ?? [];
    if (data.length !== input.length) {
      throw new EmbeddingError(
        `embeddings server returned ${data.length} vectors for ${input.length} inputs`,
      );
    }
    const vectors = new Array<Float32Array>(input.length);
    data.forEach((item, position) => {
      const embedding = item.embedding;
      if (!Array.isArray(embedding) || embedding.length !== this.dimensions) {
        throw new EmbeddingError(
          `embedding ${position} has the wrong shape (expected ${this.dimensions} numbers)`,
        );
      }
      vectors[item.index ?? position] = Float32Array.from(embedding as number[]);
    });
    return vectors;
  }
}
