import { homedir } from "node:os";
import { combineTools, findRepositoryRoot } from "@toad/agent";
import type { AgentEventBody } from "@toad/core";
import { createExtensions } from "@toad/extensions";
import { createModelClient, formatProblems, type LlmClient, loadLlmConfig, SUMMARY_OPEN } from "@toad/llm";
import { formatConfigProblems, loadMcpConfig, McpHub } from "@toad/mcp";
import { localTools, SessionRunner } from "@toad/session";
import { openSqliteStore, type SessionStore, StoreError, storeLocation } from "@toad/store";
import { CliError } from "./errors.js";
import type { Writable } from "./output.js";

export interface EmbeddedRuntime {
  runner: SessionRunner;
  store: SessionStore;
  model: LlmClient;
  /** The MCP servers of mcp.json (user and project); started when a session first needs tools. */
  mcp: McpHub;
  /** TOAD_GATEWAY_URL and TOAD_TOKEN: with a URL (or `--gateway`), sessions run on that cluster. */
  gateway: { url: string | undefined; token: string | undefined };
  close(): Promise<void>;
}

export interface RuntimeOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stderr: Writable;
}

/**
 * The embedded wiring: everything in this process, on the SQLite store, the
 * models layer and the built-in tools in the local sandbox. No server needed.
 */
export async function openEmbeddedRuntime(options: RuntimeOptions): Promise<EmbeddedRuntime> {
  const { env } = options;
  const projectDir = await findRepositoryRoot(options.cwd);
  const loaded = await loadLlmConfig({ env, homeDir: homedir(), projectDir });
  if (!loaded.ok) throw new CliError(`the TOAD config has problems:\n${formatProblems(loaded.problems)}`);
  const model = createModelClient({ config: loaded.config, env });
  const mcpConfig = await loadMcpConfig({ env, homeDir: homedir(), projectDir });
  if (!mcpConfig.ok) {
    throw new CliError(`the MCP config has problems:\n${formatConfigProblems(mcpConfig.problems)}`);
  }

  let store: SessionStore;
  try {
    // "normal" durability: WAL with a sync at checkpoints. A killed toad loses no
    // appended event (the WAL is in the OS's hands); only an OS crash or power cut
    // can lose the last moments. "full" (an fsync per event) made a 50-step tool
    // loop about twice as slow (bench/peers.sh).
    store = await openSqliteStore({ path: storeLocation(env).dbPath, durability: "normal" });
  } catch (error) {
    if (error instanceof StoreError) throw new CliError(`cannot open the session store: ${error.message}`, 1);
    throw error;
  }
  const logger = { warn: (message: string) => options.stderr.write(`toad: ${message}\n`) };
  const mcp = new McpHub({ servers: mcpConfig.servers, env, cwd: projectDir, logger });
  // Hooks, skills, commands, subagents, diagnostics after edits, web fetch (allow-listed domains).
  const extensions = createExtensions({ env });
  const runner = new SessionRunner({
    store,
    model,
    extensions,
    conversationStart: fromLastSummary,
    // The workspace is the whole repository, even when toad starts in a subdirectory.
    tools: async (session, beforeWrite) =>
      combineTools(
        await localTools({ workspaceRoot: await findRepositoryRoot(session.cwd), beforeWrite, logger }),
        await mcp.tools(),
      ),
  });
  const close = async () => {
    await extensions.close();
    await mcp.close();
    await store.close();
  };
  const gateway = { url: env.TOAD_GATEWAY_URL || undefined, token: env.TOAD_TOKEN || undefined };
  return { runner, store, model, mcp, gateway, close };
}

/** `/compact` appends a summary to the log: the model's view of the session starts there. */
export function fromLastSummary(history: readonly AgentEventBody[]): number {
  for (let index = history.length - 1; index >= 0; index--) {
    const event = history[index];
    if (event?.type === "user_message" && event.text.startsWith(SUMMARY_OPEN)) return index;
  }
  return 0;
}
