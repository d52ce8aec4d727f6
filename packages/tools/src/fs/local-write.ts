import { randomBytes } from "node:crypto";
import { chmod, mkdir, rename, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { errorMessage } from "../text.js";
import { fail, ok, type Result } from "../types.js";
import type { FileWrite } from "./port.js";

export function tempNameFor(target: string): string {
  return path.join(
    path.dirname(target),
    `.${path.basename(target)}.toad-${randomBytes(6).toString("hex")}.tmp`,
  );
}

type Step = { kind: "wrote"; write: FileWrite } | { kind: "removed"; write: FileWrite; backup: string };

/**
 * `WorkspaceFs.writeAll` with node:fs: contents go to temp files beside their
 * targets first, then are renamed into place; if a rename fails, the files
 * already swapped are put back.
 */
export async function writeAllLocally(writes: readonly FileWrite[]): Promise<Result<void>> {
  const staged = new Map<FileWrite, string>();
  try {
    for (const write of writes) {
      if (write.content === null) continue;
      await mkdir(path.dirname(write.abs), { recursive: true });
      const temp = tempNameFor(write.abs);
      await writeFile(temp, write.content, "utf8");
      if (write.mode !== undefined) await chmod(temp, write.mode);
      staged.set(write, temp);
    }
  } catch (error) {
    await Promise.all([...staged.values()].map((temp) => unlink(temp).catch(() => {})));
    return fail("io_error", `could not write the new contents: ${errorMessage(error)}. No file was changed.`);
  }

  const done: Step[] = [];
  try {
    for (const write of writes) {
      const temp = staged.get(write);
      if (temp !== undefined) {
        await rename(temp, write.abs);
        staged.delete(write);
        done.push({ kind: "wrote", write });
      } else if (write.previous !== null) {
        const backup = tempNameFor(write.abs);
        await rename(write.abs, backup);
        done.push({ kind: "removed", write, backup });
      }
    }
  } catch (error) {
    for (const step of done.reverse()) {
      if (step.kind === "removed") await rename(step.backup, step.write.abs).catch(() => {});
      else if (step.write.previous === null) await unlink(step.write.abs).catch(() => {});
      else await writeFile(step.write.abs, step.write.previous, "utf8").catch(() => {});
    }
    await Promise.all([...staged.values()].map((temp) => unlink(temp).catch(() => {})));
    return fail("io_error", `could not apply the change: ${errorMessage(error)}. Files were restored.`);
  }
  for (const step of done) if (step.kind === "removed") await unlink(step.backup).catch(() => {});
  return ok(undefined);
}
