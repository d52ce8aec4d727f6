import { readFile } from "node:fs/promises";
import { fail, ok, type Result } from "./result.js";
import type { BatchInstance } from "./types.js";

const REQUIRED = ["instance_id", "repo", "base_commit", "problem_statement"] as const;
const OPTIONAL_TEXT = ["hints_text", "patch", "test_patch"] as const;
const OPTIONAL_LISTS = ["FAIL_TO_PASS", "PASS_TO_PASS"] as const;

/**
 * Reads a SWE-bench dataset: JSON lines (one instance a line) or one JSON
 * array. Every problem is reported with its line or index, and nothing is
 * half-loaded: a bad row fails the whole file.
 */
export async function loadDataset(path: string): Promise<Result<BatchInstance[]>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    return fail("bad_dataset", `cannot read the dataset ${path}: ${(error as Error).message}`);
  }
  return parseDataset(text, path);
}

export function parseDataset(text: string, source: string): Result<BatchInstance[]> {
  const rows: { where: string; value: unknown }[] = [];
  const trimmed = text.trimStart();
  if (trimmed.startsWith("[")) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      return fail("bad_dataset", `${source}: not valid JSON: ${(error as Error).message}`);
    }
    if (!Array.isArray(value)) return fail("bad_dataset", `${source}: expected an array of instances`);
    for (const [index, row] of value.entries()) rows.push({ where: `${source}[${index}]`, value: row });
  } else {
    const lines = text.split("\n");
    for (const [index, line] of lines.entries()) {
      if (line.trim() === "") continue;
      const where = `${source}:${index + 1}`;
      try {
        rows.push({ where, value: JSON.parse(line) });
      } catch (error) {
        return fail("bad_dataset", `${where}: not valid JSON: ${(error as Error).message}`);
      }
    }
  }
  const instances: BatchInstance[] = [];
  const seen = new Set<string>();
  for (const { where, value } of rows) {
    const instance = toInstance(value, where);
    if (!instance.ok) return instance;
    if (seen.has(instance.value.instance_id)) {
      return fail("bad_dataset", `${where}: instance_id "${instance.value.instance_id}" appears twice`);
    }
    seen.add(instance.value.instance_id);
    instances.push(instance.value);
  }
  if (instances.length === 0) return fail("bad_dataset", `${source}: no instances`);
  return ok(instances);
}

function toInstance(value: unknown, where: string): Result<BatchInstance> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return fail("bad_dataset", `${where}: an instance must be a JSON object`);
  }
  const row = value as Record<string, unknown>;
  for (const field of REQUIRED) {
    if (typeof row[field] !== "string" || row[field] === "") {
      return fail("bad_dataset", `${where}: "${field}" must be a non-empty string`);
    }
  }
  const repo = String(row.repo);
  if (!/^[\w.-]+\/[\w.-]+$/.test(repo)) {
    return fail("bad_dataset", `${where}: "repo" must be owner/name, got ${JSON.stringify(repo)}`);
  }
  if (!/^[0-9a-f]{7,40}$/i.test(String(row.base_commit))) {
    return fail("bad_dataset", `${where}: "base_commit" must be a commit hash`);
  }
  const instance: BatchInstance = {
    instance_id: String(row.instance_id),
    repo,
    base_commit: String(row.base_commit),
    problem_statement: String(row.problem_statement),
  };
  for (const field of OPTIONAL_TEXT) {
    const text = row[field];
    if (text === undefined || text === null) continue;
    if (typeof text !== "string") return fail("bad_dataset", `${where}: "${field}" must be a string`);
    instance[field] = text;
  }
  for (const field of OPTIONAL_LISTS) {
    const list = listField(row[field]);
    if (list === "invalid") return fail("bad_dataset", `${where}: "${field}" must be a list of test names`);
    if (list !== undefined) instance[field] = list;
  }
  return ok(instance);
}

/** SWE-bench ships FAIL_TO_PASS either as a list or as a JSON-encoded list in a string. */
function listField(value: unknown): string[] | undefined | "invalid" {
  if (value === undefined || value === null) return undefined;
  let list = value;
  if (typeof value === "string") {
    try {
      list = JSON.parse(value);
    } catch {
      return "invalid";
    }
  }
  if (!Array.isArray(list) || !list.every((item) => typeof item === "string")) return "invalid";
  return list;
}

export interface Selection {
  instanceIds?: readonly string[];
  /** A regular expression matched against instance ids. */
  filter?: string;
  /** Python-style `A:B` over the list after the other filters (either end may be empty). */
  slice?: string;
}

/** Applies `--instance-ids`, then `--filter`, then `--slice`, keeping the dataset's order. */
export function selectInstances(
  all: readonly BatchInstance[],
  selection: Selection,
): Result<BatchInstance[]> {
  let chosen = [...all];
  if (selection.instanceIds !== undefined) {
    const known = new Set(all.map((instance) => instance.instance_id));
    const unknown = selection.instanceIds.filter((id) => !known.has(id));
    if (unknown.length > 0) {
      return fail("bad_selection", `not in the dataset: ${unknown.join(", ")}`);
    }
    const wanted = new Set(selection.instanceIds);
    chosen = chosen.filter((instance) => wanted.has(instance.instance_id));
  }
  if (selection.filter !== undefined) {
    let pattern: RegExp;
    try {
      pattern = new RegExp(selection.filter);
    } catch (error) {
      return fail("bad_selection", `--filter is not a regular expression: ${(error as Error).message}`);
    }
    chosen = chosen.filter((instance) => pattern.test(instance.instance_id));
  }
  if (selection.slice !== undefined) {
    const bounds = parseSlice(selection.slice);
    if (!bounds)
      return fail("bad_selection", `--slice must be A:B (e.g. 0:10, :5, 20:), got "${selection.slice}"`);
    chosen = chosen.slice(bounds.start, bounds.end);
  }
  if (chosen.length === 0) return fail("bad_selection", "the selection matches no instance");
  return ok(chosen);
}

function parseSlice(text: string): { start?: number; end?: number } | undefined {
  const match = /^(-?\d*):(-?\d*)$/.exec(text.trim());
  if (!match) return undefined;
  const bound = (part: string | undefined) => (part === undefined || part === "" ? undefined : Number(part));
  return { start: bound(match[1]), end: bound(match[2]) };
}
