import { isIP } from "node:net";
import type { ToolOutcome } from "@toad/agent";
import { type ExtensionTool, outcomeError, stringArg } from "../shared/toolset.js";
import { guardedLookup, type HostResolver, isPublicAddress, PrivateAddressError } from "./address-guard.js";
import { htmlToMarkdown } from "./html.js";
import { httpGet } from "./http-get.js";

export interface WebFetchOptions {
  /**
   * Hosts the tool may fetch from (a name matches itself and its
   * subdomains). Absent: any public host. A host that is, or resolves to, a
   * loopback, private or link-local address is reachable only when listed
   * by itself (`localhost`, `127.0.0.1`, `wiki.corp`), never through a
   * parent domain.
   */
  allowedDomains?: readonly string[];
  /** Bytes read from a response at most. */
  maxBytes?: number;
  /** Characters of markdown returned at most. */
  maxChars?: number;
  timeoutMs?: number;
  /** Resolves host names (the system resolver by default; tests pass their own). */
  resolve?: HostResolver;
}

const MAX_REDIRECTS = 5;
const DEFAULTS = { maxBytes: 2 * 1024 * 1024, maxChars: 50_000, timeoutMs: 20_000 };

/** `web_fetch`: HTTP GET of an allowed URL, returned as readable markdown, size-capped. */
export function webFetchTool(options: WebFetchOptions = {}): ExtensionTool {
  const allowed = options.allowedDomains?.map((domain) => domain.toLowerCase().replace(/^\*\./, ""));
  const scope = allowed
    ? `Only these hosts (and their subdomains) can be fetched: ${allowed.join(", ")}.`
    : "";
  return {
    spec: {
      name: "web_fetch",
      description:
        `Fetch a web page or text document over HTTP(S) and return it as markdown (HTML is converted; long pages are cut). ${scope}`.trim(),
      inputSchema: {
        type: "object",
        properties: { url: { type: "string", description: "An http:// or https:// URL." } },
        required: ["url"],
        additionalProperties: false,
      },
    },
    effect: () => "network",
    check(args) {
      const url = stringArg(args, "url");
      if (url === undefined) return '"url" must be a string';
      return urlProblem(url, allowed);
    },
    summary: (args) => `GET ${String(args.url)}`,
    run: (args, signal) => fetchReadable(String(args.url), allowed, { ...DEFAULTS, ...options }, signal),
  };
}

function urlProblem(raw: string, allowed: readonly string[] | undefined): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `"${raw}" is not a URL`;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return `only http and https URLs can be fetched`;
  if (url.username || url.password) return "URLs with credentials are not fetched";
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, "");
  const listed = allowed?.some((domain) => host === domain || host.endsWith(`.${domain}`));
  if (allowed && !listed) return `${host} is not an allowed domain (allowed: ${allowed.join(", ")})`;
  if (isLocalName(host) && !mayReachPrivate(host, allowed))
    return `${host} is a local or private address; list it in allowedDomains to fetch it`;
  return undefined;
}

/**
 * Literal addresses that are not public, and names that are local by
 * definition; every other name is checked when it resolves (`guardedLookup`).
 */
function isLocalName(host: string): boolean {
  if (isIP(host) !== 0) return !isPublicAddress(host);
  return host === "localhost" || host.endsWith(".localhost");
}

/** Only a host listed by itself may be, or resolve to, a local or private address. */
function mayReachPrivate(host: string, allowed: readonly string[] | undefined): boolean {
  return allowed?.includes(host.toLowerCase().replace(/^\[|\]$/g, "")) === true;
}

async function fetchReadable(
  start: string,
  allowed: readonly string[] | undefined,
  options: Required<Omit<WebFetchOptions, "allowedDomains" | "resolve">> & Pick<WebFetchOptions, "resolve">,
  signal: AbortSignal,
): Promise<ToolOutcome> {
  const lookup = guardedLookup((host) => mayReachPrivate(host, allowed), options.resolve);
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const both = AbortSignal.any([signal, timeout]);
  let url = start;
  try {
    for (let hop = 0; ; hop++) {
      const response = await httpGet(new URL(url), {
        signal: both,
        lookup,
        headers: { accept: "text/html, text/markdown, text/plain, application/json;q=0.9, */*;q=0.5" },
      });
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        if (hop >= MAX_REDIRECTS) return outcomeError("fetch_failed", `more than ${MAX_REDIRECTS} redirects`);
        const next = new URL(location, url).href;
        const problem = urlProblem(next, allowed);
        if (problem) return outcomeError("denied", `redirected to ${next}, which is refused: ${problem}`);
        url = next;
        continue;
      }
      return await readResponse(url, response, options);
    }
  } catch (error) {
    if (error instanceof PrivateAddressError) {
      return outcomeError(
        "denied",
        `${error.message}; list ${error.host} itself in allowedDomains to fetch it (${url} was not fetched)`,
      );
    }
    if (timeout.aborted)
      return outcomeError("timeout", `no complete answer from ${url} within ${options.timeoutMs / 1000}s`);
    if (signal.aborted) return outcomeError("cancelled", "the run was cancelled");
    return outcomeError("fetch_failed", `cannot fetch ${url}: ${(error as Error).message}`);
  }
}

async function readResponse(
  url: string,
  response: Response,
  options: { maxBytes: number; maxChars: number },
): Promise<ToolOutcome> {
  const type = (response.headers.get("content-type") ?? "").toLowerCase();
  if (!response.ok) {
    await response.body?.cancel();
    return outcomeError("http_error", `${url} answered HTTP ${response.status} ${response.statusText}`);
  }
  const textual = type === "" || type.startsWith("text/") || /json|xml|javascript/.test(type);
  if (!textual) {
    await response.body?.cancel();
    return outcomeError("unsupported_content", `${url} is ${type}, not text; it was not downloaded`);
  }
  const { bytes, cut: bytesCut } = await readCapped(response, options.maxBytes);
  const text = new TextDecoder().decode(bytes);
  const readable =
    type.includes("html") || (type === "" && /^\s*<(!doctype|html)/i.test(text))
      ? htmlToMarkdown(text)
      : text;
  const cut = readable.length > options.maxChars;
  const body = cut ? readable.slice(0, options.maxChars) : readable;
  const note =
    cut || bytesCut
      ? `\n\n[… cut: the page is longer than ${cut ? `${options.maxChars} characters` : `${options.maxBytes} bytes`}]`
      : "";
  return { ok: true, output: `URL: ${url}\n\n${body}${note}` };
}

async function readCapped(
  response: Response,
  maxBytes: number,
): Promise<{ bytes: Uint8Array; cut: boolean }> {
  const reader = response.body?.getReader();
  if (!reader) return { bytes: new Uint8Array(), cut: false };
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { bytes: concat(chunks, size), cut: false };
    const room = maxBytes - size;
    chunks.push(value.length > room ? value.subarray(0, room) : value);
    size += Math.min(value.length, room);
    if (size >= maxBytes) {
      await reader.cancel();
      return { bytes: concat(chunks, size), cut: true };
    }
  }
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
