/**
 * `toad mcp serve`: TOAD's own tools over MCP. A separate entry point, because
 * the context engine it loads is not needed by the MCP client.
 */
export { contextTools, REPO_MAP_TOOL } from "./context-tools.js";
export { type HttpServeOptions, serveHttp } from "./http-server.js";
export { createToolsServer, serveStdio, type ToolsServerOptions } from "./server.js";
export { type ServedTools, toadToolsForServing } from "./toad-tools.js";
