import type { Command } from "../command.js";

export interface CommandEntry {
  name: string;
  /** Loaded only when the command runs (or for --help): no command pays for another's imports. */
  load(): Promise<Command>;
}

/** Every `toad <name>` subcommand. Add a command by adding its entry here. */
export const COMMANDS: readonly CommandEntry[] = [
  { name: "sessions", load: async () => (await import("./sessions.js")).sessionsCommand },
  { name: "index", load: async () => (await import("./context.js")).indexCommand },
  { name: "map", load: async () => (await import("./context.js")).mapCommand },
  { name: "search", load: async () => (await import("./context.js")).searchCommand },
  { name: "batch", load: async () => (await import("./batch.js")).batchCommand },
  { name: "mcp", load: async () => (await import("./mcp.js")).mcpCommand },
  { name: "acp", load: async () => (await import("./acp.js")).acpCommand },
  { name: "serve", load: async () => (await import("./serve.js")).serveCommand },
  { name: "admin", load: async () => (await import("./admin.js")).adminCommand },
];
