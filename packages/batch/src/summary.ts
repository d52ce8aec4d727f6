import type { InstanceResult } from "./types.js";

/** The numbers a run is judged by (the end table and `--output-format json`). */
export interface BatchSummary {
  outDir: string;
  /** Instances selected for the run. */
  instances: number;
  /** Of those, how many have a prediction. */
  finished: number;
  nonEmptyPatches: number;
  emptyPatches: number;
  errors: number;
  /** Selected but not finished (the run was stopped). */
  unfinished: number;
  /** Run by this invocation / skipped because an earlier one finished them. */
  ran: number;
  skipped: number;
  totalCostUsd: number;
  meanCostUsd: number;
  meanTurns: number;
  wallP50Ms: number;
  wallP90Ms: number;
  /** How the agent ended, counted ("none": it never ran). */
  exits: Record<string, number>;
}

export function summarize(
  outDir: string,
  selected: number,
  results: readonly InstanceResult[],
  ran: number,
): BatchSummary {
  const walls = results.map((result) => result.wallMs).sort((a, b) => a - b);
  const totalCostUsd = sum(results.map((result) => result.costUsd));
  const exits: Record<string, number> = {};
  for (const result of results) {
    const key = result.exit ?? "none";
    exits[key] = (exits[key] ?? 0) + 1;
  }
  const nonEmpty = results.filter((result) => result.patch.trim() !== "").length;
  return {
    outDir,
    instances: selected,
    finished: results.length,
    nonEmptyPatches: nonEmpty,
    emptyPatches: results.length - nonEmpty,
    errors: results.filter((result) => result.status === "error").length,
    unfinished: selected - results.length,
    ran,
    skipped: results.length - ran,
    totalCostUsd,
    meanCostUsd: mean(results.map((result) => result.costUsd)),
    meanTurns: mean(results.map((result) => result.turns)),
    wallP50Ms: percentile(walls, 0.5),
    wallP90Ms: percentile(walls, 0.9),
    exits,
  };
}

/** Nearest-rank percentile of sorted values; 0 when there are none. */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil(fraction * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? 0;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : sum(values) / values.length;
}

export function formatUsd(value: number): string {
  return `$${value < 1 ? value.toFixed(4) : value.toFixed(2)}`;
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, "0")}m`;
}

/** The end-of-run table, one metric a line. */
export function formatSummaryTable(summary: BatchSummary): string {
  const rows: [string, string][] = [
    ["instances", String(summary.instances)],
    ["finished", `${summary.finished} (${summary.ran} this run, ${summary.skipped} already done)`],
    ["non-empty patches", String(summary.nonEmptyPatches)],
    ["empty patches", String(summary.emptyPatches)],
    ["errors", String(summary.errors)],
    ["total cost", formatUsd(summary.totalCostUsd)],
    ["mean cost", formatUsd(summary.meanCostUsd)],
    ["mean turns", summary.meanTurns.toFixed(1)],
    ["wall p50 / p90", `${formatDuration(summary.wallP50Ms)} / ${formatDuration(summary.wallP90Ms)}`],
    [
      "exits",
      Object.entries(summary.exits)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([exit, count]) => `${exit} ${count}`)
        .join(", ") || "-",
    ],
  ];
  if (summary.unfinished > 0) rows.splice(2, 0, ["unfinished", String(summary.unfinished)]);
  const width = Math.max(...rows.map(([label]) => label.length));
  return [
    `run ${summary.outDir}`,
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
    "  (resolution is not measured here: run toad batch eval)",
  ].join("\n");
}
