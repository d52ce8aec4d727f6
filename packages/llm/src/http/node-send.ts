import { Agent as HttpAgent, type IncomingHttpHeaders, type IncomingMessage, request } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { BodyQueue } from "./body-queue.js";
import type { HeaderGetter, HttpSend } from "./types.js";

// The default transport: node:http(s) with keep-alive pools, the body read as
// a Node stream of UTF-8 text. Under load the global fetch spends more CPU in
// its web streams than the whole SSE decode; this path has none of them.

/**
 * Idle pooled sockets close after 4 s (the global fetch's default), or sooner
 * when the server's Keep-Alive hint says so: reusing a socket the server has
 * just closed fails the request.
 */
const FREE_SOCKET_MS = 4000;
const httpAgent = new HttpAgent({ keepAlive: true, timeout: FREE_SOCKET_MS });
const httpsAgent = new HttpsAgent({ keepAlive: true, timeout: FREE_SOCKET_MS });

function abortError(): Error {
  return Object.assign(new Error("the request was aborted"), { name: "AbortError", code: "ABORT_ERR" });
}

function headerGetter(headers: IncomingHttpHeaders): HeaderGetter {
  return {
    get(name) {
      const value = headers[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(", ") : value;
    },
  };
}

/** As many as the global fetch follows. */
const MAX_REDIRECTS = 20;
/** Not sent on to another origin (as fetch does). */
const CREDENTIAL_HEADERS = ["authorization", "proxy-authorization", "cookie"];

/**
 * Sends the request; follows 307/308 redirects with the same method and body,
 * as the global fetch does (301/302/303 would turn the POST into a GET, which
 * no model API answers: those come back as they are).
 */
export const nodeSend: HttpSend = async (url, init) => {
  let current = url;
  let headers = init.headers;
  for (let hop = 0; ; hop++) {
    const response = await sendOnce(current, { ...init, headers });
    const location = response.headers.get("location");
    if ((response.status !== 307 && response.status !== 308) || location === null || hop >= MAX_REDIRECTS)
      return response;
    if (response.body !== null) for await (const _ of response.body); // to its end: the socket goes back to the pool
    const next = new URL(location, current);
    if (next.origin !== new URL(current).origin) {
      headers = Object.fromEntries(
        Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADERS.includes(name.toLowerCase())),
      );
    }
    current = next.href;
  }
};

const sendOnce: HttpSend = (url, init) =>
  new Promise((resolve, reject) => {
    const { signal } = init;
    if (signal.aborted) {
      reject(abortError());
      return;
    }
    const target = new URL(url);
    const secure = target.protocol === "https:";
    if (!secure && target.protocol !== "http:") {
      reject(new Error(`unsupported protocol ${target.protocol}`));
      return;
    }
    const headers: Record<string, string> = {
      ...init.headers,
      "content-length": String(Buffer.byteLength(init.body)),
    };
    // What the global fetch sent, so a provider's edge sees the same client as before.
    if (!Object.keys(init.headers).some((name) => name.toLowerCase() === "user-agent"))
      headers["user-agent"] = "node";
    const options = { method: init.method, headers, agent: secure ? httpsAgent : httpAgent };
    const req = secure ? httpsRequest(target, options) : request(target, options);
    let res: IncomingMessage | undefined;
    const onAbort = (): void => {
      const error = abortError();
      // Destroying an unfinished response destroys its socket: it never returns to the pool.
      res?.destroy(error);
      req.destroy(error);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    // Before the response this rejects; after it, the body's iterator reports the failure.
    req.on("error", (err) => {
      signal.removeEventListener("abort", onAbort);
      reject(err);
    });
    req.on("response", (response) => {
      res = response;
      response.once("close", () => signal.removeEventListener("abort", onAbort));
      response.setEncoding("utf8");
      const body = new BodyQueue(response);
      resolve({ status: response.statusCode ?? 0, headers: headerGetter(response.headers), body });
    });
    req.end(init.body);
  });
