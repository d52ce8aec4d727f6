import { z } from "zod";
import type { FileChange } from "../edit-commit.js";
import { defineEditTool } from "../edit-tool.js";
import { readEditableFile } from "../file-io.js";
import { workspaceFsOf } from "../fs/context-fs.js";
import type { ToolLimits } from "../options.js";
import { applyHunks } from "../patch-apply.js";
import { type FilePatch, parseUnifiedDiff } from "../patch-parse.js";
import { plural } from "../text.js";
import type { Tool } from "../tool.js";
import { fail, ok, type Result, type ToolContext } from "../types.js";
import { resolveInWorkspace } from "../workspace.js";

const schema = z.object({
  patch: z
    .string()
    .min(1)
    .describe(
      "A unified diff (as `git diff` prints it) touching one or more files. Paths are relative to the workspace " +
        "root (a/ and b/ prefixes are fine). Use /dev/null as the old path to create a file, as the new path to delete one.",
    ),
});

/** The working state of every file the patch touches, read once, changed in memory. */
class PatchState {
  private readonly changes = new Map<string, FileChange>();

  constructor(
    private readonly ctx: ToolContext,
    private readonly limits: ToolLimits,
  ) {}

  async load(path: string): Promise<Result<FileChange>> {
    const fs = workspaceFsOf(this.ctx);
    const file = await resolveInWorkspace(this.ctx.workspaceRoot, path, { forWrite: true, fs });
    if (!file.ok) return file;
    const known = this.changes.get(file.value.abs);
    if (known) return ok(known);
    const existing = await readEditableFile(fs, file.value, this.limits.editMaxBytes);
    if (!existing.ok) return existing;
    const text = existing.value?.text ?? null;
    const change: FileChange = { file: file.value, before: text, after: text, mode: existing.value?.mode };
    this.changes.set(file.value.abs, change);
    return ok(change);
  }

  list(): FileChange[] {
    return [...this.changes.values()];
  }
}

async function applyFilePatch(state: PatchState, patch: FilePatch): Promise<Result<void>> {
  if (patch.oldPath === null) {
    const target = await state.load(patch.newPath ?? "");
    if (!target.ok) return target;
    if (target.value.after !== null)
      return fail("already_exists", `${target.value.file.rel} already exists; it cannot be created`);
    const created = applyHunks("", patch.hunks, target.value.file.rel);
    if (!created.ok) return created;
    target.value.after = created.value;
    return ok(undefined);
  }
  const source = await state.load(patch.oldPath);
  if (!source.ok) return source;
  const current = source.value.after;
  if (current === null) return fail("not_found", `${source.value.file.rel} does not exist`);
  const patched =
    patch.hunks.length > 0 ? applyHunks(current, patch.hunks, source.value.file.rel) : ok(current);
  if (!patched.ok) return patched;
  if (patch.newPath === null) {
    if (patch.hunks.length > 0 && patched.value.trim() !== "") {
      return fail(
        "patch_failed",
        `the deletion of ${source.value.file.rel} does not remove all of its lines`,
      );
    }
    source.value.after = null;
    return ok(undefined);
  }
  if (patch.newPath === patch.oldPath) {
    source.value.after = patched.value;
    return ok(undefined);
  }
  const target = await state.load(patch.newPath);
  if (!target.ok) return target;
  if (target.value.file.abs === source.value.file.abs) {
    source.value.after = patched.value;
    return ok(undefined);
  }
  if (target.value.after !== null)
    return fail("already_exists", `cannot rename onto existing ${target.value.file.rel}`);
  source.value.after = null;
  target.value.after = patched.value;
  target.value.mode = source.value.mode;
  return ok(undefined);
}

async function plan(
  args: z.output<typeof schema>,
  ctx: ToolContext,
  limits: ToolLimits,
): Promise<Result<FileChange[]>> {
  const parsed = parseUnifiedDiff(args.patch);
  if (!parsed.ok) return fail("invalid_arguments", `could not parse the patch: ${parsed.message}`);
  const state = new PatchState(ctx, limits);
  for (const file of parsed.files) {
    const applied = await applyFilePatch(state, file);
    if (!applied.ok)
      return fail(
        applied.error.kind,
        `${applied.error.message}\nThe patch was not applied; no file changed.`,
      );
  }
  return ok(state.list());
}

export function createApplyPatchTool(limits: ToolLimits): Tool {
  return defineEditTool({
    name: "apply_patch",
    description:
      "Apply a unified diff to one or more files, all or nothing: if any hunk does not apply, no file changes. " +
      "Hunks are located by their context lines (line numbers are hints). Supports creating, deleting and " +
      "renaming files. An edit that breaks the syntax of a file that parsed before is refused.",
    schema,
    plan: (args, ctx) => plan(args, ctx, limits),
    summary: (_args, changes) => `Patch ${plural(changes.length, "file")}`,
  });
}
