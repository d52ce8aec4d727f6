import { homedir } from "node:os";
import { findRepositoryRoot } from "@toad/agent";
import { createModelClient, formatProblems, type LlmClient, loadLlmConfig } from "@toad/llm";
import { localTools, SessionRunner } from "@toad/session";
import { openSqliteStore, type SessionStore, StoreError, storeLocation } from "@toad/store";
import { CliError } from "./errors.js";
import type { Writable } from "./output.js";

export interface EmbeddedRuntime {
  runner: SessionRunner;
  store: SessionStore;
  model: LlmClient;
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

  let store: SessionStore;
  try {
    store = await openSqliteStore({ path: storeLocation(env).dbPath });
  } catch (error) {
    if (error instanceof StoreError) throw new CliError(`cannot open the session store: ${error.message}`, 1);
    throw error;
  }
  const logger = { warn: (message: string) => options.stderr.write(`toad: ${message}\n`) };
  const runner = new SessionRunner({
    store,
    model,
    // The workspace is the whole repository, even when toad starts in a subdirectory.
    tools: async (session, beforeWrite) =>
      localTools({ workspaceRoot: await findRepositoryRoot(session.cwd), beforeWrite, logger }),
  });
  return { runner, store, model, close: () => store.close() };
}
