import { appendFile, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Selection } from "./dataset.js";
import { INSTANCE_FILES, instanceDirName } from "./instance-runner.js";
import { fail, ok, type Result } from "./result.js";
import type { InstanceResult, Prediction, RunSettings } from "./types.js";

export const RUN_FORMAT = "toad-batch-run/1";

/** run.json: everything needed to reproduce or compare a run. */
export interface RunRecord {
  format: typeof RUN_FORMAT;
  createdAt: string;
  updatedAt: string;
  toad: { version: string; commit: string; dirty?: boolean };
  settings: RunSettings;
  useHints: boolean;
  promptsHash: string;
  /** The `model_name_or_path` of every prediction. */
  modelNameOrPath: string;
  dataset: { path: string; sha256: string; instances: number; selection: Selection };
  repos: string;
  workers: number;
  /** "recycled": each worker resets its checkout between instances; "fresh": a new checkout each time. */
  workspaces: "recycled" | "fresh";
  /** Which implementation backs each switch that is on ("none": the switch only changes the prompt). */
  hooks: { contextPreload: string; testSelection: string };
  /** How the instances' commands ran, as the sandbox described itself. */
  sandbox?: { driver: string; networkIsolated: boolean; filesystemIsolated: boolean };
  /** A run on the cluster (`--gateway`): where it was submitted and its run id there. */
  cluster?: { gateway: string; runId: string };
}

export const RUN_FILES = {
  run: "run.json",
  predictions: "predictions.jsonl",
  instances: "instances",
} as const;

/**
 * A run's output folder. predictions.jsonl is the record of what is done: a
 * line is appended only after the instance's result.json is in place, so
 * an instance with a prediction always has its numbers, and one killed
 * before its line is simply run again.
 */
export class RunDir {
  private appending: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {}

  instanceDir(instanceId: string): string {
    return join(this.path, RUN_FILES.instances, instanceDirName(instanceId));
  }

  async readRecord(): Promise<Result<RunRecord | undefined>> {
    let text: string;
    try {
      text = await readFile(join(this.path, RUN_FILES.run), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return ok(undefined);
      return fail(
        "bad_run_dir",
        `cannot read ${join(this.path, RUN_FILES.run)}: ${(error as Error).message}`,
      );
    }
    try {
      const record = JSON.parse(text) as RunRecord;
      if (record.format !== RUN_FORMAT) {
        return fail(
          "bad_run_dir",
          `${join(this.path, RUN_FILES.run)} is not a toad batch run (format ${String(record.format)})`,
        );
      }
      return ok(record);
    } catch (error) {
      return fail(
        "bad_run_dir",
        `${join(this.path, RUN_FILES.run)} is not valid JSON: ${(error as Error).message}`,
      );
    }
  }

  async writeRecord(record: RunRecord): Promise<void> {
    await mkdir(this.path, { recursive: true });
    await writeAtomic(join(this.path, RUN_FILES.run), `${JSON.stringify(record, null, 2)}\n`);
  }

  /** The predictions on disk, the last line per instance winning; torn or foreign lines are counted, not kept. */
  async readPredictions(): Promise<{ predictions: Map<string, Prediction>; dropped: number }> {
    const predictions = new Map<string, Prediction>();
    let dropped = 0;
    let text = "";
    try {
      text = await readFile(join(this.path, RUN_FILES.predictions), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      const prediction = parsePrediction(line);
      if (prediction) predictions.set(prediction.instance_id, prediction);
      else dropped++;
    }
    return { predictions, dropped };
  }

  /** Rewrites predictions.jsonl with exactly these lines (atomically). */
  async rewritePredictions(predictions: Iterable<Prediction>): Promise<void> {
    await mkdir(this.path, { recursive: true });
    const lines = [...predictions].map((prediction) => `${JSON.stringify(prediction)}\n`).join("");
    await writeAtomic(join(this.path, RUN_FILES.predictions), lines);
  }

  /** Records a finished instance: its result.json, then its prediction line (appends are serialized). */
  async record(result: InstanceResult, prediction: Prediction): Promise<void> {
    const dir = this.instanceDir(result.instance_id);
    await mkdir(dir, { recursive: true });
    await writeAtomic(join(dir, INSTANCE_FILES.result), `${JSON.stringify(result, null, 2)}\n`);
    const line = `${JSON.stringify(prediction)}\n`;
    const next = this.appending.then(() => appendFile(join(this.path, RUN_FILES.predictions), line));
    this.appending = next.catch(() => undefined);
    await next;
  }

  async readResult(instanceId: string): Promise<InstanceResult | undefined> {
    try {
      const text = await readFile(join(this.instanceDir(instanceId), INSTANCE_FILES.result), "utf8");
      return JSON.parse(text) as InstanceResult;
    } catch {
      return undefined;
    }
  }
}

function parsePrediction(line: string): Prediction | undefined {
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value !== "object" || value === null) return undefined;
    const row = value as Record<string, unknown>;
    const { instance_id, model_name_or_path, model_patch } = row;
    if (typeof instance_id !== "string" || typeof model_patch !== "string") return undefined;
    return {
      instance_id,
      model_name_or_path: typeof model_name_or_path === "string" ? model_name_or_path : "",
      model_patch,
    };
  } catch {
    return undefined;
  }
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const temporary = `${path}.tmp-${process.pid}`;
  await writeFile(temporary, text);
  await rename(temporary, path);
}
