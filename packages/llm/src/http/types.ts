// The one response shape the attempt reads, whichever client made the request:
// the node:http transport (the default) or a fetch the caller injected.

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface HeaderGetter {
  /** The header's value (names are case-insensitive), null when absent. */
  get(name: string): string | null;
}

export interface HttpResponse {
  status: number;
  headers: HeaderGetter;
  /**
   * The body's chunks, bytes or already-decoded UTF-8 text; null when there is
   * none. Leaving the iteration before its end (break, throw) drops the
   * connection; an iteration run to its end leaves it to the keep-alive pool.
   */
  body: AsyncIterable<Uint8Array | string> | null;
}

export interface HttpInit {
  method: "POST";
  headers: Record<string, string>;
  body: string;
  /** Aborting it fails the pending request, or the body's iteration once it streams. */
  signal: AbortSignal;
}

/** Sends one request; rejects when no response head arrives (network failure, abort). */
export type HttpSend = (url: string, init: HttpInit) => Promise<HttpResponse>;
