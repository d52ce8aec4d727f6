import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { ModelClient } from "@toad/core";
import { createModelClient, defaultLlmConfig } from "@toad/llm";
import type { RecordedRequest, Responder, ScriptedTurn } from "@toad/testkit";
import type { BatchInstance } from "../src/index.js";

export const MODEL = "claude-sonnet-4-5";
/** $0.0045 a turn on claude-sonnet-4-5 ($3 / $15 per million). */
export const USAGE = { inputTokens: 1000, outputTokens: 100, cacheReadTokens: 0, cacheWriteTokens: 0 };
export const TURN_COST = (1000 * 3 + 100 * 15) / 1e6;

export async function tempDir(prefix: string): Promise<{ path: string; cleanup(): Promise<void> }> {
  const path = await realpath(await mkdtemp(join(tmpdir(), prefix)));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

export function sh(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_DATE: "2020-01-01T00:00:00Z",
      GIT_COMMITTER_DATE: "2020-01-01T00:00:00Z",
    },
  });
}

async function writeFiles(root: string, files: Record<string, string | null>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const abs = join(root, path);
    if (content === null) await rm(abs, { force: true });
    else {
      await mkdir(dirname(abs), { recursive: true });
      await writeFile(abs, content);
    }
  }
}

/** Edits per test case, applied at a base commit to make its gold patch (null deletes a file). */
export type Edit = Record<string, string | null>;

export interface FixtureCase {
  id: string;
  base: "first" | "second";
  edit: Edit;
  /** Default acme/widgets. */
  repo?: string;
}

export interface Fixture {
  reposDir: string;
  datasetPath: string;
  instances: BatchInstance[];
}

const CALC = "def add(a, b):\n    return a - b\n\n\ndef mul(a, b):\n    return a * b\n";
const TEXT = 'def shout(s):\n    return s.lower() + "!"\n';

/**
 * A small Python repository with two commits, mirrored bare into
 * `<root>/repos/acme__widgets.git`, and a dataset whose gold patches are the
 * given edits as git diffs them at each case's base commit.
 */
export async function buildFixture(root: string, cases: readonly FixtureCase[]): Promise<Fixture> {
  const source = join(root, "source");
  await mkdir(source, { recursive: true });
  sh(source, "init", "-q");
  sh(source, "config", "user.email", "t@t");
  sh(source, "config", "user.name", "t");
  await writeFiles(source, {
    "README.md": "# widgets\n",
    "pkg/__init__.py": "",
    "pkg/calc.py": CALC,
    "pkg/text.py": TEXT,
    "pkg/old.py": "LEGACY = True\n",
    "tests/test_calc.py": "from pkg.calc import add\n\n\ndef test_add():\n    assert add(2, 3) == 5\n",
  });
  sh(source, "add", "-A");
  sh(source, "commit", "-qm", "first");
  const first = sh(source, "rev-parse", "HEAD").trim();
  await writeFiles(source, { "pkg/text.py": `${TEXT}\n\ndef whisper(s):\n    return s.lower()\n` });
  sh(source, "commit", "-qam", "second");
  const second = sh(source, "rev-parse", "HEAD").trim();
  const reposDir = join(root, "repos");
  await mkdir(reposDir, { recursive: true });
  sh(root, "clone", "-q", "--bare", source, join(reposDir, "acme__widgets.git"));

  const instances: BatchInstance[] = [];
  for (const item of cases) {
    const base = item.base === "first" ? first : second;
    sh(source, "checkout", "-q", "--detach", base);
    await writeFiles(source, item.edit);
    sh(source, "add", "-A");
    const patch = sh(source, "diff", "--cached", base);
    sh(source, "reset", "-q", "--hard", base);
    instances.push({
      instance_id: item.id,
      repo: item.repo ?? "acme/widgets",
      base_commit: base,
      problem_statement: `[${item.id}] Something in widgets is wrong; please fix it.`,
      patch,
    });
  }
  const datasetPath = join(root, "dataset.jsonl");
  await writeFile(datasetPath, instances.map((instance) => `${JSON.stringify(instance)}\n`).join(""));
  return { reposDir, datasetPath, instances };
}

/** The files of a unified diff, one patch each. */
export function splitPatch(patch: string): string[] {
  return patch.split(/^(?=diff --git )/m).filter((part) => part.startsWith("diff --git "));
}

export const applyPatch = (patch: string, usage = USAGE): ScriptedTurn => ({
  content: [{ type: "tool_call", name: "apply_patch", arguments: { patch } }],
  usage,
});

export const say = (text: string, usage = USAGE): ScriptedTurn => ({
  content: [{ type: "text", text }],
  usage,
});

/** The first user message of an Anthropic request (the instance's prompt). */
export function firstUserText(request: RecordedRequest): string {
  const body = request.body as { messages?: { role: string; content: unknown }[] } | undefined;
  const first = body?.messages?.[0]?.content;
  if (typeof first === "string") return first;
  if (Array.isArray(first)) {
    return first
      .map((block: { text?: unknown }) => (typeof block.text === "string" ? block.text : ""))
      .join("");
  }
  return "";
}

/** How many assistant turns the conversation already has: the step the agent is at. */
export function stepOf(request: RecordedRequest): number {
  const body = request.body as { messages?: { role: string }[] } | undefined;
  return (body?.messages ?? []).filter((message) => message.role === "assistant").length;
}

export interface Oracle {
  responder: Responder;
  /** Requests per instance id. */
  requests: Map<string, number>;
}

/**
 * The scripted model as an oracle: it recognises the instance by its problem
 * statement and answers with tool calls that apply the gold patch, then
 * finishes. `scripts` overrides the turns of some instances; `hold` may delay
 * (or never answer) an instance's request.
 */
export function oracle(
  instances: readonly BatchInstance[],
  scripts: Record<string, ScriptedTurn[]> = {},
  hold?: (instanceId: string, step: number) => Promise<void> | undefined,
): Oracle {
  const requests = new Map<string, number>();
  const responder: Responder = async (request) => {
    const prompt = firstUserText(request);
    const instance = instances.find((candidate) => prompt.includes(candidate.problem_statement.trim()));
    if (!instance) return undefined;
    const id = instance.instance_id;
    requests.set(id, (requests.get(id) ?? 0) + 1);
    const step = stepOf(request);
    await hold?.(id, step);
    const turns = scripts[id] ?? [applyPatch(instance.patch ?? ""), say("Applied the fix.")];
    return turns[step] ?? say("Done.");
  };
  return { responder, requests };
}

/** A model client per instance, speaking Anthropic to the scripted server. */
export function modelFor(url: string): (instance: BatchInstance) => ModelClient {
  const env = { ANTHROPIC_API_KEY: "sk-ant-test", ANTHROPIC_BASE_URL: url };
  const config = defaultLlmConfig(env);
  config.retry.maxRetries = 0;
  return (instance) => createModelClient({ config, env, sessionId: instance.instance_id });
}

/**
 * The tree (hash) of `patch` applied at `base`, computed in the index of a
 * scratch repository that borrows the mirror's objects (plain git, no
 * checkout): equal trees mean equal files.
 */
export function treeAfter(mirror: string, base: string, patch: string, scratch: string): string {
  execFileSync("rm", ["-rf", scratch]);
  execFileSync("git", ["init", "-q", "--bare", scratch]);
  const objects = execFileSync(
    "git",
    ["-C", mirror, "rev-parse", "--path-format=absolute", "--git-common-dir"],
    {
      encoding: "utf8",
    },
  ).trim();
  execFileSync("bash", ["-c", `echo "${objects}/objects" > "${scratch}/objects/info/alternates"`]);
  const env = { ...process.env, GIT_INDEX_FILE: join(scratch, "scratch-index") };
  const run = (args: string[], input?: string) =>
    execFileSync("git", ["-C", scratch, ...args], {
      encoding: "utf8",
      env,
      ...(input !== undefined && { input }),
    });
  run(["read-tree", base]);
  if (patch.trim() !== "") run(["apply", "--cached", "-"], patch);
  return run(["write-tree"]).trim();
}
