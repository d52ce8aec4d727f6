import type { McpServer } from "@agentclientprotocol/sdk";
import type { McpServerConfig } from "@toad/mcp";

/**
 * The MCP servers an ACP client passes in session/new as TOAD server
 * configs. Names become tool prefixes, so they are cut to the characters
 * tool names allow and made unique.
 */
export function mcpConfigsFromClient(servers: readonly McpServer[]): McpServerConfig[] {
  const used = new Set<string>();
  return servers.map((server, index) => {
    // No "__" and no trailing "_": either would blur where the server name ends in `mcp__<server>__<tool>`.
    const base =
      server.name
        .replace(/[^A-Za-z0-9_-]+/g, "_")
        .replace(/_{2,}/g, "_")
        .replace(/^[^A-Za-z0-9]+/, "")
        .slice(0, 36)
        .replace(/_+$/, "") || `server${index + 1}`;
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
    used.add(name);
    if ("command" in server) {
      return {
        name,
        type: "stdio",
        command: server.command,
        args: server.args,
        env: Object.fromEntries(server.env.map((variable) => [variable.name, variable.value])),
      };
    }
    return {
      name,
      type: server.type,
      url: server.url,
      headers: Object.fromEntries(server.headers.map((header) => [header.name, header.value])),
    };
  });
}
