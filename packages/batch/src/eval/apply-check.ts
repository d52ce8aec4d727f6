import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { SyntaxCheck, SyntaxChecker } from "@toad/core";
import { git, gitProblem } from "../git.js";
import type { Mirror } from "../repos.js";
import type { BatchInstance } from "../types.js";
import { createWorkspace } from "../workspace.js";
import { type LocalTests, runLocalTests, type TestEnvironment } from "./local-tests.js";

export interface FileParse {
  path: string;
  /** "absent": the file is new (before) or deleted (after). */
  before: SyntaxCheck["status"] | "absent";
  after: SyntaxCheck["status"] | "absent";
  /** The first error after the patch, when there is one. */
  message?: string;
}

/** What could be checked of one prediction without the official harness. */
export interface InstanceCheck {
  instance_id: string;
  empty: boolean;
  /** `git apply --check` at base_commit; absent when the patch is empty or no workspace could be made. */
  applies?: boolean;
  problem?: string;
  files: FileParse[];
  /** Files that parsed before the patch (or were new) and do not parse after it. */
  parseRegressions: string[];
  /** The patched tree is byte-identical to the gold patch's (only when the dataset has `patch`). */
  goldIdentical?: boolean;
  /** The row's tests run locally, when it has test_patch and FAIL_TO_PASS and the repository has an environment. */
  tests?: LocalTests;
}

/** Applies a prediction in a fresh workspace at base_commit and checks what it touches still parses. */
export async function checkPrediction(
  mirror: Mirror,
  instance: BatchInstance,
  patch: string,
  workspace: string,
  checker: SyntaxChecker,
  testEnvironment?: TestEnvironment,
): Promise<InstanceCheck> {
  const check: InstanceCheck = {
    instance_id: instance.instance_id,
    empty: patch.trim() === "",
    files: [],
    parseRegressions: [],
  };
  if (check.empty) return check;
  const made = await createWorkspace(mirror, instance.base_commit, workspace);
  if (!made.ok) {
    check.problem = made.error.message;
    return check;
  }
  const base = instance.base_commit;
  const dry = await git(workspace, ["apply", "--check", "--whitespace=nowarn", "-"], { input: patch });
  check.applies = dry.code === 0;
  if (!check.applies) {
    check.problem = `git apply --check: ${gitProblem(dry)}`;
    return check;
  }
  await git(workspace, ["apply", "--whitespace=nowarn", "-"], { input: patch });
  const modelTree = await stagedTree(workspace);
  const changed = await git(workspace, ["diff", "--cached", "--no-renames", "--name-status", "-z", base]);
  for (const { status, path } of nameStatus(changed.stdout)) {
    const file = await parseBoth(workspace, base, status, path, checker);
    check.files.push(file);
    if (file.after === "error" && file.before !== "error") check.parseRegressions.push(path);
  }
  if (testEnvironment) {
    const tests = await runLocalTests(workspace, instance, testEnvironment);
    if (tests) check.tests = tests;
  }
  if (instance.patch !== undefined)
    check.goldIdentical = modelTree === (await goldTree(workspace, base, instance.patch));
  return check;
}

async function parseBoth(
  workspace: string,
  base: string,
  status: string,
  path: string,
  checker: SyntaxChecker,
): Promise<FileParse> {
  const file: FileParse = { path, before: "absent", after: "absent" };
  if (status !== "A") {
    const old = await git(workspace, ["show", `${base}:${path}`]);
    if (old.code === 0) file.before = (await checker.check(path, old.stdout)).status;
  }
  if (status !== "D") {
    const after = await checker.check(path, await readFile(join(workspace, path), "utf8"));
    file.after = after.status;
    if (after.status === "error") file.message = `${after.line}:${after.column}: ${after.message}`;
  }
  return file;
}

/** The tree the workspace's files make (everything staged), as a hash. */
async function stagedTree(workspace: string): Promise<string> {
  await git(workspace, ["add", "-A"]);
  return (await git(workspace, ["write-tree"])).stdout.trim();
}

async function goldTree(workspace: string, base: string, gold: string): Promise<string | undefined> {
  await git(workspace, ["reset", "--quiet", "--hard", base]);
  await git(workspace, ["clean", "-fdxq"]);
  const applied = await git(workspace, ["apply", "--whitespace=nowarn", "-"], { input: gold });
  return applied.code === 0 ? stagedTree(workspace) : undefined;
}

function nameStatus(output: string): { status: string; path: string }[] {
  const fields = output.split("\0").filter((field) => field !== "");
  const entries: { status: string; path: string }[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    entries.push({ status: (fields[i] ?? "").charAt(0), path: fields[i + 1] ?? "" });
  }
  return entries;
}
