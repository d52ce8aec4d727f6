import { createLocalSandbox } from "@toad/sandbox";
import { git, gitProblem } from "../git.js";
import { fail, ok, type Result } from "../result.js";
import type { BatchInstance } from "../types.js";

/**
 * How to run a repository's tests on this machine (`--test-env FILE`, a JSON
 * object keyed by `owner/name`). `{tests}` in the command becomes the test
 * names, shell-quoted. The environment (interpreter, dependencies) must
 * already be there: nothing is installed, and the sandbox has no network.
 */
export interface TestEnvironment {
  command: string;
  timeoutMs?: number;
}

export type TestEnvironments = Readonly<Record<string, TestEnvironment>>;

export type TestVerdict = "passed" | "failed" | "error";

/** The dataset's tests run against the prediction locally: a hint, never the official verdict. */
export interface LocalTests {
  failToPass: TestVerdict;
  /** Absent when the row lists none. */
  passToPass?: TestVerdict;
  /** What went wrong when a verdict is "error". */
  problem?: string;
}

function shellQuote(arg: string): string {
  return /^[\w./:=@%+,-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}

/**
 * In a workspace where the prediction is applied: applies the row's
 * test_patch, then runs FAIL_TO_PASS (and PASS_TO_PASS) with the
 * repository's configured command in the local sandbox.
 */
export async function runLocalTests(
  workspace: string,
  instance: BatchInstance,
  environment: TestEnvironment,
): Promise<LocalTests | undefined> {
  const failToPass = instance.FAIL_TO_PASS ?? [];
  if (instance.test_patch === undefined || failToPass.length === 0) return undefined;
  const applied = await git(workspace, ["apply", "--whitespace=nowarn", "-"], { input: instance.test_patch });
  if (applied.code !== 0) {
    return { failToPass: "error", problem: `the test patch does not apply: ${gitProblem(applied)}` };
  }
  const sandbox = await createLocalSandbox({ workspaceRoot: workspace, logger: { warn: () => undefined } });
  const run = async (tests: readonly string[]): Promise<{ verdict: TestVerdict; problem?: string }> => {
    const command = environment.command.replace("{tests}", tests.map(shellQuote).join(" "));
    const result = await sandbox.exec({
      command,
      timeoutMs: environment.timeoutMs ?? 600_000,
      network: false,
    });
    if (result.error) return { verdict: "error", problem: result.error.message };
    if (result.timedOut) return { verdict: "error", problem: `timed out: ${command}` };
    return { verdict: result.exitCode === 0 ? "passed" : "failed" };
  };
  const f2p = await run(failToPass);
  const outcome: LocalTests = {
    failToPass: f2p.verdict,
    ...(f2p.problem !== undefined && { problem: f2p.problem }),
  };
  const passToPass = instance.PASS_TO_PASS ?? [];
  if (passToPass.length > 0) {
    const p2p = await run(passToPass);
    outcome.passToPass = p2p.verdict;
    if (p2p.problem !== undefined) outcome.problem ??= p2p.problem;
  }
  return outcome;
}

/** Reads a `--test-env` file: `{"owner/name": {"command": "python -m pytest {tests}", "timeoutMs": 600000}}`. */
export function parseTestEnvironments(text: string, source: string): Result<TestEnvironments> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return fail("bad_dataset", `${source}: not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return fail("bad_dataset", `${source}: expected an object keyed by owner/name`);
  }
  const environments: Record<string, TestEnvironment> = {};
  for (const [repo, entry] of Object.entries(value)) {
    const row = (typeof entry === "object" && entry !== null ? entry : {}) as Record<string, unknown>;
    if (typeof row.command !== "string" || !row.command.includes("{tests}")) {
      return fail("bad_dataset", `${source}: ${repo}.command must be a string containing {tests}`);
    }
    if (row.timeoutMs !== undefined && !(typeof row.timeoutMs === "number" && row.timeoutMs > 0)) {
      return fail("bad_dataset", `${source}: ${repo}.timeoutMs must be a positive number`);
    }
    environments[repo] = {
      command: row.command,
      ...(typeof row.timeoutMs === "number" && { timeoutMs: row.timeoutMs }),
    };
  }
  return ok(environments);
}
