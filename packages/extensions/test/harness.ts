import { execFileSync } from "node:child_process";
import { chmod, mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Approver, PermissionRules } from "@toad/agent";
import type { AgentEvent, PermissionMode } from "@toad/core";
import { createModelClient, defaultLlmConfig } from "@toad/llm";
import { localTools, SessionRunner } from "@toad/session";
import { MemorySessionStore } from "@toad/store";
import { type MockLlmServer, type ScriptedTurn, startMockLlm } from "@toad/testkit";
import { createExtensions, type Extensions, type ExtensionsOptions } from "../src/index.js";

export const MODEL = "claude-sonnet-4-5";

export interface Harness {
  /** The repository the session works in. */
  repo: string;
  /** $TOAD_CONFIG_HOME (user-level config). */
  configHome: string;
  llm: MockLlmServer;
  runner: SessionRunner;
  store: MemorySessionStore;
  extensions: Extensions;
  env: Record<string, string | undefined>;
  /** One prompt in a new session (or `sessionId`); the session's whole log comes back. */
  run(
    prompt: string,
    options?: { mode?: PermissionMode; sessionId?: string; budgetUsd?: number; approver?: Approver },
  ): Promise<{ sessionId: string; exit: string; costUsd: number; text: string; events: AgentEvent[] }>;
  close(): Promise<void>;
}

/** Writes files (creating folders); `#!` scripts become executable. */
export async function writeFiles(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, content);
    if (content.startsWith("#!")) await chmod(full, 0o755);
  }
}

/**
 * A real session: a temp git repository, the scripted model server behind
 * the real models layer (priced by the registry), the built-in tools in the
 * local sandbox, the in-memory store and `createExtensions`.
 */
export async function startHarness(
  turns: ScriptedTurn[],
  files: Record<string, string> = {},
  options: Partial<ExtensionsOptions> = {},
  permissionRules?: PermissionRules,
): Promise<Harness> {
  const root = await realpath(await mkdtemp(join(tmpdir(), "toad-ext-")));
  const repo = join(root, "repo");
  const configHome = join(root, "config");
  await mkdir(repo, { recursive: true });
  await mkdir(configHome, { recursive: true });
  execFileSync("git", ["init", "-q", repo]);
  await writeFiles(root, files);
  const llm = await startMockLlm({ script: { turns } });
  const env = {
    PATH: process.env.PATH,
    HOME: root,
    ANTHROPIC_API_KEY: "test-key",
    ANTHROPIC_BASE_URL: llm.url,
    TOAD_CONFIG_HOME: configHome,
  };
  const model = createModelClient({ config: defaultLlmConfig(env), env });
  const store = new MemorySessionStore();
  const extensions = createExtensions({ env, homeDir: root, diagnostics: { enabled: false }, ...options });
  const logger = { warn: () => {} };
  const runner = new SessionRunner({
    store,
    model,
    tools: (session, beforeWrite) => localTools({ workspaceRoot: session.cwd, beforeWrite, logger }),
    extensions,
    ...(permissionRules && { permissionRules }),
  });
  return {
    repo,
    configHome,
    llm,
    runner,
    store,
    extensions,
    env,
    async run(prompt, runOptions = {}) {
      const sessionId =
        runOptions.sessionId ??
        (await runner.create({ cwd: repo, model: MODEL, permissionMode: runOptions.mode ?? "full-auto" })).id;
      const result = await runner.send(sessionId, {
        prompt,
        signal: new AbortController().signal,
        ...(runOptions.budgetUsd !== undefined && { budgetUsd: runOptions.budgetUsd }),
        ...(runOptions.approver && { approver: runOptions.approver }),
      });
      return { sessionId, ...result, events: await store.events(sessionId) };
    },
    async close() {
      await extensions.close();
      await llm.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

export const toolCall = (name: string, args: Record<string, unknown>) => ({
  type: "tool_call" as const,
  name,
  arguments: args,
});
export const say = (text: string) => ({ type: "text" as const, text });
