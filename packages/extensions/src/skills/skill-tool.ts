import { readdir, readFile, realpath, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import type { ToolOutcome } from "@toad/agent";
import { type ExtensionTool, outcomeError, stringArg } from "../shared/toolset.js";
import type { Skill } from "./discover.js";

const MAX_FILE_BYTES = 256 * 1024;
const MAX_LISTED_FILES = 200;

/**
 * The `skill` tool: its description lists every skill by name and
 * description (stable, so the prompt prefix stays cacheable), and a call
 * loads one skill's instructions, or one of its files, on use.
 */
export function skillTool(skills: readonly Skill[]): ExtensionTool {
  const byName = new Map(skills.map((skill) => [skill.name, skill]));
  const listing = skills.map((skill) => `- ${skill.name}: ${skill.description}`).join("\n");
  return {
    spec: {
      name: "skill",
      description:
        "Load a skill: expert instructions for a kind of task. When a task matches a skill below, " +
        "load it first and follow it. Pass `file` to read one of the files the skill lists.\n\n" +
        `Available skills:\n${listing}`,
      inputSchema: {
        type: "object",
        properties: {
          name: {
            type: "string",
            enum: skills.map((skill) => skill.name),
            description: "The skill to load.",
          },
          file: { type: "string", description: "A file of the skill, relative to its folder (optional)." },
        },
        required: ["name"],
        additionalProperties: false,
      },
    },
    effect: () => "read",
    check(args) {
      const name = stringArg(args, "name");
      if (name === undefined) return '"name" must be a string';
      if (!byName.has(name)) return `no skill named "${name}"; available: ${[...byName.keys()].join(", ")}`;
      if (args.file !== undefined && typeof args.file !== "string") return '"file" must be a string';
      return undefined;
    },
    summary: (args) => `load skill ${String(args.name)}${args.file ? ` (${String(args.file)})` : ""}`,
    async run(args) {
      const skill = byName.get(String(args.name));
      if (!skill) return outcomeError("not_found", `no skill named "${String(args.name)}"`);
      const file = stringArg(args, "file");
      return file === undefined ? loadInstructions(skill) : readSkillFile(skill, file);
    },
  };
}

async function loadInstructions(skill: Skill): Promise<ToolOutcome> {
  const files = (await listFiles(skill.dir)).filter((path) => path !== "SKILL.md");
  const listed =
    files.length > 0
      ? `\n\nFiles of this skill (read one with skill {"name", "file"}):\n${files.map((f) => `- ${f}`).join("\n")}`
      : "";
  return {
    ok: true,
    output: `<skill name="${skill.name}">\n${skill.instructions}\n</skill>${listed}`,
  };
}

async function readSkillFile(skill: Skill, file: string): Promise<ToolOutcome> {
  const root = await realpath(skill.dir);
  let path: string;
  try {
    path = await realpath(resolve(root, file));
  } catch {
    return outcomeError("not_found", `the skill "${skill.name}" has no file "${file}"`);
  }
  if (path !== root && !path.startsWith(root + sep)) {
    return outcomeError("outside_workspace", `"${file}" is outside the skill's folder`);
  }
  const info = await stat(path);
  if (!info.isFile()) return outcomeError("not_found", `"${file}" is not a file`);
  const bytes = await readFile(path);
  const cut = bytes.length > MAX_FILE_BYTES;
  const text = bytes.subarray(0, MAX_FILE_BYTES).toString("utf8");
  return { ok: true, output: cut ? `${text}\n[… cut at ${MAX_FILE_BYTES} bytes]` : text };
}

async function listFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (current: string): Promise<void> => {
    const entries = await readdir(current, { withFileTypes: true });
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (found.length >= MAX_LISTED_FILES) return;
      const path = join(current, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) found.push(relative(dir, path));
    }
  };
  await walk(dir);
  return found;
}
