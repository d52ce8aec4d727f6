import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { AgentRunResult } from "@toad/agent";
import { type AgentEvent, type ModelClient, type SyntaxChecker, serializeEvent } from "@toad/core";
import type { SandboxDescription, SandboxLogger } from "@toad/sandbox";
import { SessionRunner } from "@toad/session";
import { openSqliteStore, type SessionStore } from "@toad/store";
import type { Janitor } from "./janitor.js";
import { instancePrompt, type PromptParts } from "./prompt.js";
import type { RepoCache } from "./repos.js";
import { instanceTools } from "./tools.js";
import {
  type BatchInstance,
  EMPTY_TOKENS,
  type InstanceResult,
  type RunSettings,
  type TokenCounts,
} from "./types.js";
import { extractPatch, prepareWorkspace } from "./workspace.js";

/** What context pre-loading gives an instance (the repository map goes to the system prompt). */
export interface PreloadedContext {
  repoMap?: string;
  context?: string;
}

/**
 * The hooks behind the two ablation switches. `packages/context` will
 * implement them (repository map and hybrid retrieval; impacted tests); a
 * switch that is on with no hook changes nothing but the prompt's wording.
 */
export interface ContextHooks {
  preload?(instance: BatchInstance, workspaceRoot: string, signal: AbortSignal): Promise<PreloadedContext>;
  selectTests?(instance: BatchInstance, workspaceRoot: string, signal: AbortSignal): Promise<string[]>;
}

/** One unit of work, serializable: what a queue worker receives. */
export interface InstanceJob {
  instance: BatchInstance;
  settings: RunSettings;
  useHints: boolean;
}

export interface InstanceRunnerDeps {
  repos: RepoCache;
  /** A model client for this instance (its own cost ledger). */
  modelFor(instance: BatchInstance): ModelClient;
  janitor: Janitor;
  /**
   * Reset the checkout an earlier instance left in the same place instead of
   * making a new one (see `prepareWorkspace`); without it each workspace is
   * removed once its instance ends.
   */
  recycleWorkspaces: boolean;
  logger: SandboxLogger;
  syntaxChecker?: SyntaxChecker;
  sandbox?: "auto" | "bubblewrap" | "process";
  hooks?: ContextHooks;
  /** Leave workspaces on disk (debugging; with recycling, only the last one of each place stays). */
  keepWorkspaces?: boolean;
  /** Told once which sandbox the instance's commands run in. */
  onSandbox?(description: SandboxDescription): void;
  onEvent?(instanceId: string, event: AgentEvent): void;
}

export type InstanceRun = { cancelled: true } | { cancelled: false; result: InstanceResult };

/** File names in an instance's output folder. */
export const INSTANCE_FILES = {
  store: "session.db",
  trajectory: "trajectory.jsonl",
  patch: "patch.diff",
  result: "result.json",
} as const;

/** A folder name for an instance id (ids are free text in some datasets). */
export function instanceDirName(instanceId: string): string {
  return instanceId.replace(/[^\w.-]/g, "_");
}

/**
 * Runs one instance from a fresh workspace to its patch. It never throws:
 * any failure becomes an "error" result carrying whatever diff could still
 * be taken. When `signal` aborts (the batch is stopping) the instance is
 * reported as cancelled and nothing of it should be recorded as done.
 */
export interface InstancePlaces {
  /** The instance's output folder (log, trajectory, patch); emptied first. */
  outDir: string;
  /** Where its workspace goes. */
  workspace: string;
}

/** A completed instance with nothing done yet: no patch, no cost, no time. */
export function blankResult(instanceId: string, at: number): InstanceResult {
  return {
    instance_id: instanceId,
    status: "completed",
    patch: "",
    costUsd: 0,
    tokens: { ...EMPTY_TOKENS },
    turns: 0,
    wallMs: 0,
    timings: { workspaceMs: 0, agentMs: 0, diffMs: 0, bookkeepingMs: 0 },
    startedAt: at,
    endedAt: at,
  };
}

export async function runInstance(
  job: InstanceJob,
  places: InstancePlaces,
  deps: InstanceRunnerDeps,
  signal: AbortSignal,
): Promise<InstanceRun> {
  const { instance } = job;
  const startedAt = Date.now();
  const clock = new PhaseClock();
  const result = blankResult(instance.instance_id, startedAt);
  const failWith = (message: string) => {
    result.status = "error";
    result.error ??= message;
  };
  const { outDir, workspace } = places;
  const removeWorkspace = () => {
    if (!deps.recycleWorkspaces && !deps.keepWorkspaces) deps.janitor.remove(workspace);
  };
  let store: SessionStore | undefined;
  let workspaceMade = false;
  try {
    await rm(outDir, { recursive: true, force: true });
    await mkdir(outDir, { recursive: true });
    const mirror = await deps.repos.mirror(instance.repo);
    if (!mirror.ok) {
      failWith(mirror.error.message);
    } else {
      const made = await prepareWorkspace(mirror.value, instance.base_commit, workspace, {
        recycle: deps.recycleWorkspaces,
      });
      workspaceMade = true;
      result.timings.workspaceMs = clock.lap();
      if (!made.ok) failWith(made.error.message);
      else {
        store = openSqliteStore({ path: join(outDir, INSTANCE_FILES.store), durability: "normal" });
        result.timings.bookkeepingMs += clock.lap();
        const run = await runAgentIn(job, workspace, store, deps, signal, result);
        result.timings.agentMs = clock.lap();
        if (run) applyRun(run, result, failWith);
      }
    }
  } catch (error) {
    failWith(`crashed: ${describe(error)}`);
  }
  if (signal.aborted) {
    await store?.close().catch(() => undefined);
    if (workspaceMade) removeWorkspace();
    return { cancelled: true };
  }
  clock.lap();
  if (workspaceMade) {
    // Even a failed or capped run submits the diff it has.
    const patch = await extractPatch(workspace, instance.base_commit).catch((error: unknown) => ({
      ok: false as const,
      error: { message: describe(error) },
    }));
    if (patch.ok) result.patch = patch.value;
    else failWith(patch.error.message);
    result.timings.diffMs = clock.lap();
    removeWorkspace();
  }
  try {
    if (store) await exportTrajectory(store, result, outDir);
    await writeFile(join(outDir, INSTANCE_FILES.patch), result.patch);
  } catch (error) {
    failWith(`could not write the instance's files: ${describe(error)}`);
  } finally {
    await store?.close().catch(() => undefined);
  }
  result.timings.bookkeepingMs += clock.lap();
  result.endedAt = Date.now();
  result.wallMs = result.endedAt - startedAt;
  return { cancelled: false, result };
}

async function runAgentIn(
  job: InstanceJob,
  workspace: string,
  store: SessionStore,
  deps: InstanceRunnerDeps,
  signal: AbortSignal,
  result: InstanceResult,
): Promise<AgentRunResult | undefined> {
  const { instance, settings } = job;
  const hooks = deps.hooks ?? {};
  const parts: PromptParts = {};
  let repoMap: string | undefined;
  if (settings.ablations.contextPreload && hooks.preload) {
    // Pre-loading is a help, not a step the instance depends on: without it the agent still runs.
    const preloaded = await hooks
      .preload(instance, workspace, signal)
      .catch((error: unknown): PreloadedContext => {
        deps.logger.warn(`context pre-loading failed for ${instance.instance_id}: ${describe(error)}`);
        return {};
      });
    repoMap = preloaded.repoMap;
    if (preloaded.context !== undefined) parts.context = preloaded.context;
  }
  if (settings.ablations.testSelection && hooks.selectTests) {
    parts.selectedTests = await hooks.selectTests(instance, workspace, signal);
  }
  const runner = new SessionRunner({
    store,
    model: deps.modelFor(instance),
    tools: async (_session, beforeWrite) => {
      const built = await instanceTools({
        workspaceRoot: workspace,
        beforeWrite,
        logger: deps.logger,
        testSelection: settings.ablations.testSelection,
        ...(deps.syntaxChecker !== undefined && { syntaxChecker: deps.syntaxChecker }),
        ...(deps.sandbox !== undefined && { sandbox: deps.sandbox }),
      });
      deps.onSandbox?.(built.sandbox);
      return built.tools;
    },
    ...(repoMap !== undefined && { repoMap: async () => repoMap }),
  });
  const session = await runner.create({
    cwd: workspace,
    model: settings.model,
    permissionMode: "full-auto",
    title: instance.instance_id,
  });
  result.sessionId = session.id;
  return runner.send(session.id, {
    prompt: instancePrompt(instance, { ablations: settings.ablations, useHints: job.useHints }, parts),
    signal,
    permissionMode: "full-auto",
    ...(settings.tier !== undefined && { tier: settings.tier }),
    ...(settings.maxTurns !== undefined && { maxTurns: settings.maxTurns }),
    ...(settings.maxCostUsd !== undefined && { budgetUsd: settings.maxCostUsd }),
    onEvent: (event) => {
      if (event.type === "usage") addUsage(result.tokens, event);
      if (event.type === "error" && event.code !== "max_turns" && event.code !== "budget_exceeded") {
        result.error = `${event.code}: ${event.message}`;
      }
      deps.onEvent?.(instance.instance_id, event);
    },
  });
}

function applyRun(run: AgentRunResult, result: InstanceResult, failWith: (message: string) => void): void {
  result.exit = run.exit;
  result.turns = run.turns;
  result.costUsd = run.costUsd;
  if (run.exit === "error") failWith("the model request failed");
  else if (result.status !== "error") delete result.error;
}

function addUsage(tokens: TokenCounts, usage: Extract<AgentEvent, { type: "usage" }>): void {
  tokens.input += usage.inputTokens;
  tokens.output += usage.outputTokens;
  tokens.cacheRead += usage.cacheReadTokens;
  tokens.cacheWrite += usage.cacheWriteTokens;
}

/** The instance's event log as JSON lines: its trajectory. */
async function exportTrajectory(store: SessionStore, result: InstanceResult, outDir: string): Promise<void> {
  if (result.sessionId === undefined) return;
  const events = await store.events(result.sessionId);
  const text = events.map((event) => `${serializeEvent(event)}\n`).join("");
  await writeFile(join(outDir, INSTANCE_FILES.trajectory), text);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Milliseconds since the previous lap. */
class PhaseClock {
  private last = performance.now();

  lap(): number {
    const now = performance.now();
    const elapsed = now - this.last;
    this.last = now;
    return Math.round(elapsed);
  }
}
