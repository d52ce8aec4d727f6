import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import { Readable } from "node:stream";

export interface HttpGetOptions {
  headers: Record<string, string>;
  signal: AbortSignal;
  /** The DNS lookup the socket uses (the address guard). */
  lookup: LookupFunction;
}

/** Statuses whose responses have no body (the Response constructor refuses one). */
const NO_BODY = new Set([204, 205, 304]);

/**
 * One HTTP GET over node:http(s), answered as a web `Response`. Unlike the
 * global fetch it takes the socket's DNS lookup, so the address guard decides
 * where the connection goes. No redirects are followed and no connection is
 * pooled (a pooled socket could have been opened without the guard).
 */
export function httpGet(url: URL, options: HttpGetOptions): Promise<Response> {
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: "GET",
        headers: options.headers,
        signal: options.signal,
        lookup: options.lookup,
        agent: false,
      },
      (incoming) => {
        const status = incoming.statusCode ?? 0;
        if (status < 200 || status > 599) {
          incoming.destroy();
          reject(new Error(`unexpected HTTP status ${status}`));
          return;
        }
        const headers = new Headers();
        for (let i = 0; i + 1 < incoming.rawHeaders.length; i += 2) {
          headers.append(incoming.rawHeaders[i] ?? "", incoming.rawHeaders[i + 1] ?? "");
        }
        const empty = NO_BODY.has(status);
        if (empty) incoming.resume();
        const body = empty ? null : (Readable.toWeb(incoming) as ReadableStream<Uint8Array>);
        resolve(new Response(body, { status, statusText: incoming.statusMessage ?? "", headers }));
      },
    );
    outgoing.on("error", reject);
    outgoing.end();
  });
}
