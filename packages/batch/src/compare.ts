import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { EVAL_FILE, type EvalReport } from "./eval/evaluate.js";
import { fail, ok, type Result } from "./result.js";
import { RUN_FILES, RunDir, type RunRecord } from "./run-dir.js";
import { formatUsd } from "./summary.js";

export interface RunSide {
  /** Absent: the run has no prediction for this instance. */
  patch: "empty" | "non-empty";
  costUsd: number;
  turns: number;
  /** Only when the official harness evaluated the run. */
  resolved?: boolean;
}

export interface CompareRow {
  instance_id: string;
  a?: RunSide;
  b?: RunSide;
  /** What differs: "patch", "resolved", "only-a", "only-b". */
  differs: string[];
}

export interface RunComparison {
  a: { dir: string; record: RunRecord };
  b: { dir: string; record: RunRecord };
  /** Configuration that differs between the runs (what the comparison is about). */
  configDifferences: string[];
  rows: CompareRow[];
}

/** `toad batch compare A B`: per instance, empty patch or not, cost, turns, resolution where evaluated. */
export async function compareRuns(dirA: string, dirB: string): Promise<Result<RunComparison>> {
  const a = await loadSide(dirA);
  if (!a.ok) return a;
  const b = await loadSide(dirB);
  if (!b.ok) return b;
  const ids = [...new Set([...a.value.sides.keys(), ...b.value.sides.keys()])].sort();
  const rows = ids.map((id): CompareRow => {
    const left = a.value.sides.get(id);
    const right = b.value.sides.get(id);
    const differs: string[] = [];
    if (!right) differs.push("only-a");
    if (!left) differs.push("only-b");
    if (left && right && left.patch !== right.patch) differs.push("patch");
    if (left?.resolved !== undefined && right?.resolved !== undefined && left.resolved !== right.resolved) {
      differs.push("resolved");
    }
    return { instance_id: id, ...(left && { a: left }), ...(right && { b: right }), differs };
  });
  return ok({
    a: { dir: dirA, record: a.value.record },
    b: { dir: dirB, record: b.value.record },
    configDifferences: configDifferences(a.value.record, b.value.record),
    rows,
  });
}

async function loadSide(dir: string): Promise<Result<{ record: RunRecord; sides: Map<string, RunSide> }>> {
  const runDir = new RunDir(dir);
  const record = await runDir.readRecord();
  if (!record.ok) return record;
  if (!record.value) return fail("bad_run_dir", `${dir} has no ${RUN_FILES.run}: not a toad batch run`);
  const resolved = await harnessVerdicts(dir);
  const { predictions } = await runDir.readPredictions();
  const sides = new Map<string, RunSide>();
  for (const [id, prediction] of predictions) {
    const result = await runDir.readResult(id);
    const verdict = resolved?.get(id);
    sides.set(id, {
      patch: prediction.model_patch.trim() === "" ? "empty" : "non-empty",
      costUsd: result?.costUsd ?? 0,
      turns: result?.turns ?? 0,
      ...(verdict !== undefined && { resolved: verdict }),
    });
  }
  return ok({ record: record.value, sides });
}

/** Resolution per instance, only from an eval.json the official harness produced. */
async function harnessVerdicts(dir: string): Promise<Map<string, boolean> | undefined> {
  let report: EvalReport;
  try {
    report = JSON.parse(await readFile(join(dir, EVAL_FILE), "utf8")) as EvalReport;
  } catch {
    return undefined;
  }
  if (!report.harness?.ran) return undefined;
  const resolvedIds = new Set(report.harness.resolvedIds);
  return new Map(
    report.instances.map((instance) => [instance.instance_id, resolvedIds.has(instance.instance_id)]),
  );
}

function configDifferences(a: RunRecord, b: RunRecord): string[] {
  const fields: [string, unknown, unknown][] = [
    ["model", a.settings.model, b.settings.model],
    ["tier", a.settings.tier, b.settings.tier],
    ["max turns", a.settings.maxTurns, b.settings.maxTurns],
    ["max cost", a.settings.maxCostUsd, b.settings.maxCostUsd],
    ["context pre-loading", a.settings.ablations.contextPreload, b.settings.ablations.contextPreload],
    ["test selection", a.settings.ablations.testSelection, b.settings.ablations.testSelection],
    ["hints", a.useHints, b.useHints],
    ["prompts hash", a.promptsHash, b.promptsHash],
    ["toad commit", a.toad.commit, b.toad.commit],
  ];
  return fields
    .filter(([, left, right]) => JSON.stringify(left) !== JSON.stringify(right))
    .map(([label, left, right]) => `${label}: ${String(left ?? "-")} → ${String(right ?? "-")}`);
}

/** The comparison for people: configuration differences, one row per instance, totals. */
export function formatComparison(comparison: RunComparison): string {
  const lines = [`A ${comparison.a.dir}`, `B ${comparison.b.dir}`];
  lines.push(
    comparison.configDifferences.length === 0
      ? "same configuration"
      : `configuration: ${comparison.configDifferences.join("; ")}`,
  );
  const width = Math.max(8, ...comparison.rows.map((row) => row.instance_id.length));
  const side = (value: RunSide | undefined) =>
    value
      ? `${value.patch === "empty" ? "empty    " : "patch    "}${formatUsd(value.costUsd).padStart(9)} ${String(value.turns).padStart(3)}t${
          value.resolved === undefined ? "" : value.resolved ? " resolved" : " unresolved"
        }`
      : "-";
  lines.push(`${"instance".padEnd(width)}  ${"A".padEnd(32)}  ${"B".padEnd(32)}  differs`);
  for (const row of comparison.rows) {
    lines.push(
      `${row.instance_id.padEnd(width)}  ${side(row.a).padEnd(32)}  ${side(row.b).padEnd(32)}  ${row.differs.join(", ")}`,
    );
  }
  const total = (pick: (row: CompareRow) => RunSide | undefined) => {
    const sides = comparison.rows.map(pick).filter((value): value is RunSide => value !== undefined);
    const cost = sides.reduce((sum, value) => sum + value.costUsd, 0);
    const nonEmpty = sides.filter((value) => value.patch === "non-empty").length;
    const resolved = sides.filter((value) => value.resolved === true).length;
    const evaluated = sides.some((value) => value.resolved !== undefined);
    return `${nonEmpty}/${sides.length} non-empty, ${formatUsd(cost)}${evaluated ? `, ${resolved} resolved` : ""}`;
  };
  lines.push(`totals  A: ${total((row) => row.a)}  ·  B: ${total((row) => row.b)}`);
  lines.push(`${comparison.rows.filter((row) => row.differs.length > 0).length} instance(s) differ`);
  return lines.join("\n");
}
