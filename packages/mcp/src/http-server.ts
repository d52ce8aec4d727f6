import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";

export interface HttpServeOptions {
  /** 0 picks a free port. */
  port: number;
  /** Loopback by default: the tools act on this machine's files. */
  host?: string;
  /** Told the endpoint once it listens. */
  onListening?(url: string): void;
  /** Stops the server. */
  signal: AbortSignal;
}

function reject(response: ServerResponse, status: number, message: string): void {
  response
    .writeHead(status, { "Content-Type": "application/json" })
    .end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }));
}

/**
 * A browser page must not be able to reach a local MCP server through a
 * hostile DNS name (DNS rebinding): the Host header must name loopback, and
 * an Origin, when sent, must be a loopback origin too.
 */
function loopbackOnly(request: IncomingMessage, port: number): string | undefined {
  const hosts = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  const host = request.headers.host ?? "";
  if (!hosts.includes(host)) return `Invalid Host header: ${host || "(none)"}`;
  const origin = request.headers.origin;
  if (origin !== undefined && !hosts.some((allowed) => origin === `http://${allowed}`)) {
    return `Invalid Origin header: ${origin}`;
  }
  return undefined;
}

/**
 * Serves MCP over Streamable HTTP at `/mcp`, stateless: each POST gets a
 * fresh protocol server over the same tools, so there are no sessions to
 * leak. GET streams and DELETE are not offered (405), as the spec allows.
 */
export async function serveHttp(createMcpServer: () => Server, options: HttpServeOptions): Promise<void> {
  let port = options.port;
  const http = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    if (path !== "/mcp") return reject(response, 404, "Not found: the MCP endpoint is /mcp");
    const refused = loopbackOnly(request, port);
    if (refused) return reject(response, 403, refused);
    if (request.method !== "POST") {
      response.writeHead(405, { Allow: "POST" }).end();
      return;
    }
    const server = createMcpServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    response.on("close", () => {
      void transport.close();
      void server.close();
    });
    server
      .connect(transport)
      .then(() => transport.handleRequest(request, response))
      .catch((error: unknown) => {
        if (!response.headersSent) reject(response, 500, `internal error: ${String(error)}`);
      });
  });
  await new Promise<void>((resolve, fail) => {
    http.once("error", fail);
    http.listen(options.port, options.host ?? "127.0.0.1", () => resolve());
  });
  const address: AddressInfo | string | null = http.address();
  if (typeof address === "object" && address !== null) port = address.port;
  options.onListening?.(`http://${options.host ?? "127.0.0.1"}:${port}/mcp`);
  await new Promise<void>((resolve) => {
    if (options.signal.aborted) resolve();
    options.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  http.closeAllConnections();
  await new Promise<void>((resolve) => http.close(() => resolve()));
}
