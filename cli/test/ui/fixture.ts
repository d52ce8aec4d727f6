import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createModelClient, type LlmClient, loadLlmConfig } from "@toad/llm";
import { localTools, SessionRunner } from "@toad/session";
import { MemorySessionStore } from "@toad/store";
import { type MockLlmServer, type ScriptedTurn, startMockLlm } from "@toad/testkit";
import { fromLastSummary } from "../../src/runtime.js";
import { SessionController } from "../../src/ui/controller/session-controller.js";
import { initialState } from "../../src/ui/state/reducer.js";
import { createUiStore, type UiStore } from "../../src/ui/state/store.js";

export const MODEL = "claude-sonnet-4-5";

/** A real session stack on loopback: scripted model server, models layer, runner, tools in a temp git repo. */
export interface UiFixture {
  repo: string;
  llm: MockLlmServer;
  model: LlmClient;
  store: MemorySessionStore;
  runner: SessionRunner;
  ui: UiStore;
  controller: SessionController;
  close(): Promise<void>;
}

export async function uiFixture(
  turns: ScriptedTurn[],
  files: Record<string, string> = {},
): Promise<UiFixture> {
  const root = await realpath(await mkdtemp(join(tmpdir(), "toad-ui-")));
  const repo = join(root, "repo");
  await mkdir(repo, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(repo, path)), { recursive: true });
    await writeFile(join(repo, path), content);
  }
  execFileSync("git", ["init", "-q"], { cwd: repo });
  const llm = await startMockLlm({ script: { turns } });
  const env = { ANTHROPIC_API_KEY: "sk-ant-test", ANTHROPIC_BASE_URL: llm.url, HOME: join(root, "home") };
  const loaded = await loadLlmConfig({ env, homeDir: join(root, "home"), projectDir: repo });
  if (!loaded.ok) throw new Error("config problems");
  const model = createModelClient({ config: loaded.config, env });
  const store = new MemorySessionStore();
  const runner = new SessionRunner({
    store,
    model,
    conversationStart: fromLastSummary,
    tools: (session, beforeWrite) =>
      localTools({ workspaceRoot: session.cwd, beforeWrite, logger: { warn: () => {} } }),
  });
  const ui = createUiStore(initialState({ model: MODEL }), { frameMs: 0 });
  const controller = new SessionController({ runner, store, ui, cwd: repo });
  return {
    repo,
    llm,
    model,
    store,
    runner,
    ui,
    controller,
    async close() {
      controller.interrupt();
      await controller.idle();
      await llm.close();
      await store.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Resolves once `check` holds for the UI state (polling; fails after `timeoutMs`). */
export async function until(check: () => boolean, timeoutMs = 5000, what = "condition"): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
