import { formatUsd } from "../summary.js";
import type { EvalReport } from "./evaluate.js";

/** The eval report for people: what was measured, and plainly what was not. */
export function formatEvalReport(report: EvalReport): string {
  const { counts } = report;
  const lines = [
    `predictions        ${counts.predictions} (${counts.empty} empty)`,
    `apply at base      ${counts.applies} apply, ${counts.doesNotApply} do not (git apply --check)`,
    `still parse        ${counts.parseRegressions} with a touched file that no longer parses`,
  ];
  if (counts.goldComparable !== undefined) {
    lines.push(`same files as gold ${counts.goldIdentical ?? 0} of ${counts.goldComparable}`);
  }
  if (counts.localTests !== undefined) {
    lines.push(
      `local tests        ${counts.localTestsPassed ?? 0} of ${counts.localTests} pass FAIL_TO_PASS and PASS_TO_PASS (this machine, not the official harness)`,
    );
  }
  for (const instance of report.instances) {
    if (instance.applies === false || instance.parseRegressions.length > 0 || instance.problem) {
      const why =
        instance.problem ?? `does not parse after the patch: ${instance.parseRegressions.join(", ")}`;
      lines.push(`  ${instance.instance_id}: ${why}`);
    }
  }
  if (report.harness.ran && report.resolved) {
    const { resolved } = report;
    lines.push(
      `resolved           ${resolved.resolved}/${resolved.submitted} (${(resolved.rate * 100).toFixed(1)}%, official harness)`,
      `cost per resolved  ${resolved.costPerResolvedUsd === undefined ? "-" : formatUsd(resolved.costPerResolvedUsd)}`,
    );
  } else if (!report.harness.ran) {
    lines.push(`resolved           not measured: ${report.harness.reason}`);
  }
  return lines.join("\n");
}
