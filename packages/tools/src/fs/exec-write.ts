import { errorMessage } from "../text.js";
import { fail, ok, type Result } from "../types.js";
import type { RunScript } from "./exec-fs.js";
import { STAGE_CHUNK, WRITE_ALL } from "./exec-scripts.js";
import { tempNameFor } from "./local-write.js";
import type { FileWrite } from "./port.js";

/**
 * The Kubernetes exec API carries a command's arguments in its URL, so one
 * command stays well under the API server's 1 MiB request-line limit: a
 * file's base64 goes inline up to one chunk, and the inline total is capped;
 * bigger contents are staged first, one command per chunk.
 */
const CHUNK_CHARS = 96 * 1024;
const INLINE_TOTAL_CHARS = 192 * 1024;

const modeArg = (mode: number | undefined) => (mode === undefined ? "-" : mode.toString(8));

/** `WorkspaceFs.writeAll` through a sandbox: stage big contents, then one command swaps everything in. */
export async function writeAllThrough(run: RunScript, writes: readonly FileWrite[]): Promise<Result<void>> {
  const args: string[] = [];
  const staged: string[] = [];
  let inline = 0;
  try {
    for (const write of writes) {
      const temp = tempNameFor(write.abs);
      if (write.content === null) {
        args.push("D", write.abs, temp, "-", "");
        continue;
      }
      const b64 = Buffer.from(write.content, "utf8").toString("base64");
      if (b64.length <= CHUNK_CHARS && inline + b64.length <= INLINE_TOTAL_CHARS) {
        inline += b64.length;
        args.push("W", write.abs, temp, modeArg(write.mode), b64);
        continue;
      }
      staged.push(temp);
      for (let at = 0; at < b64.length; at += CHUNK_CHARS) {
        await run(STAGE_CHUNK, [temp, b64.slice(at, at + CHUNK_CHARS)]);
      }
      args.push("S", write.abs, temp, modeArg(write.mode), "");
    }
  } catch (error) {
    if (staged.length > 0) await run('rm -f -- "$@"', staged).catch(() => {});
    return fail("io_error", `could not write the new contents: ${errorMessage(error)}. No file was changed.`);
  }
  try {
    await run(WRITE_ALL, args, { okCodes: [0] });
    return ok(undefined);
  } catch (error) {
    const message = errorMessage(error);
    // The script's own messages say which stage failed; anything else (the pod unreachable) may be either.
    return /cannot write the new content|cannot chmod/.test(message)
      ? fail("io_error", `could not write the new contents: ${message}. No file was changed.`)
      : fail("io_error", `could not apply the change: ${message}. Files were restored.`);
  }
}
