import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

/** Whether the official SWE-bench harness can run here, and if not, why. */
export type HarnessProbe = { available: true } | { available: false; missing: string[] };

interface Exec {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: readonly string[], cwd?: string, timeoutMs = 15_000): Promise<Exec> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { encoding: "utf8", timeout: timeoutMs, cwd, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 127) : 0;
        resolve({ code, stdout, stderr: stderr || (error?.message ?? "") });
      },
    );
  });
}

/** The harness needs a working Docker engine and the `swebench` Python package. */
export async function probeHarness(python = "python3"): Promise<HarnessProbe> {
  const missing: string[] = [];
  const docker = await run("docker", ["info", "--format", "{{.ServerVersion}}"]);
  if (docker.code !== 0) {
    missing.push(
      docker.code === 127
        ? "Docker (no docker command on PATH)"
        : `a running Docker engine (docker info: ${lastLine(docker.stderr)})`,
    );
  }
  const swebench = await run(python, ["-c", "import swebench"]);
  if (swebench.code !== 0) {
    missing.push(
      swebench.code === 127
        ? `Python (${python} not found)`
        : `the swebench Python package (${python} -c "import swebench": ${lastLine(swebench.stderr)})`,
    );
  }
  return missing.length === 0 ? { available: true } : { available: false, missing };
}

export interface HarnessRun {
  /** The harness's dataset: a Hugging Face name or a local file with its fields (test_patch, FAIL_TO_PASS, …). */
  datasetName: string;
  predictionsPath: string;
  runId: string;
  workers: number;
  /** The harness writes its logs and report here. */
  cwd: string;
  python?: string;
  timeoutMs?: number;
}

export interface HarnessReport {
  resolvedIds: string[];
  /** Instances the harness evaluated (submitted, minus those it could not run). */
  completedIds: string[];
  reportFile: string;
}

/** Runs `python -m swebench.harness.run_evaluation` and reads its report back. */
export async function runHarness(
  options: HarnessRun,
): Promise<{ ok: true; report: HarnessReport } | { ok: false; message: string }> {
  const args = [
    "-m",
    "swebench.harness.run_evaluation",
    "--dataset_name",
    options.datasetName,
    "--predictions_path",
    options.predictionsPath,
    "--max_workers",
    String(options.workers),
    "--run_id",
    options.runId,
  ];
  const ran = await run(options.python ?? "python3", args, options.cwd, options.timeoutMs ?? 6 * 3600_000);
  if (ran.code !== 0) return { ok: false, message: `the harness failed: ${lastLine(ran.stderr)}` };
  const report = await readHarnessReport(options.cwd, options.runId);
  return report
    ? { ok: true, report }
    : { ok: false, message: `no report for run ${options.runId} in ${options.cwd}` };
}

/** The harness writes `<model_name_or_path>.<run_id>.json` in its working directory. */
export async function readHarnessReport(dir: string, runId: string): Promise<HarnessReport | undefined> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const name = names.find((entry) => entry.endsWith(`.${runId}.json`));
  if (!name) return undefined;
  const reportFile = join(dir, name);
  const value: unknown = JSON.parse(await readFile(reportFile, "utf8"));
  if (typeof value !== "object" || value === null) return undefined;
  const row = value as Record<string, unknown>;
  const ids = (key: string) =>
    Array.isArray(row[key])
      ? (row[key] as unknown[]).filter((id): id is string => typeof id === "string")
      : [];
  return { resolvedIds: ids("resolved_ids"), completedIds: ids("completed_ids"), reportFile };
}

/** The last non-empty line: where Python puts the exception and docker its complaint. */
function lastLine(text: string): string {
  return (
    text
      .trim()
      .split("\n")
      .filter((line) => line.trim() !== "")
      .pop() ?? "no output"
  );
}
