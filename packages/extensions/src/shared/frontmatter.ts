import { createRequire } from "node:module";
import { isRecord } from "./json.js";

export type Frontmatter =
  | { ok: true; data: Record<string, unknown>; body: string }
  | { ok: false; message: string };

const FENCE = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/** Splits a markdown file into its YAML frontmatter (optional) and body. */
// yaml is loaded on the first frontmatter read: a run with no skills, commands or agents never pays for it.
const requireModule = createRequire(import.meta.url);
let parseYaml: typeof import("yaml").parse | undefined;
function yamlParser(): typeof import("yaml").parse {
  parseYaml ??= (requireModule("yaml") as typeof import("yaml")).parse;
  return parseYaml;
}

export function parseFrontmatter(text: string): Frontmatter {
  const match = FENCE.exec(text);
  if (!match) return { ok: true, data: {}, body: text };
  let data: unknown;
  try {
    data = yamlParser()(match[1] ?? "");
  } catch (error) {
    return { ok: false, message: `frontmatter is not valid YAML: ${(error as Error).message}` };
  }
  if (data === null || data === undefined) data = {};
  if (!isRecord(data)) return { ok: false, message: "frontmatter must be a YAML mapping (key: value lines)" };
  return { ok: true, data, body: text.slice(match[0].length) };
}

export function optionalString(data: Record<string, unknown>, key: string): string | undefined | Error {
  const value = data[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value.trim();
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return new Error(`"${key}" must be a string`);
}

/** A list field written as a YAML list or a comma-separated string (`tools: read_file, grep`). */
export function optionalList(data: Record<string, unknown>, key: string): string[] | undefined | Error {
  const value = data[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") {
    return value
      .split(/[,\s]+/)
      .map((item) => item.trim())
      .filter((item) => item !== "");
  }
  if (Array.isArray(value) && value.every((item) => typeof item === "string"))
    return value.map((v) => v.trim());
  return new Error(`"${key}" must be a list of names or a comma-separated string`);
}
