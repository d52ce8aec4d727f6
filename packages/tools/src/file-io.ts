import { readFile, stat } from "node:fs/promises";
import { isLosslessUtf8, looksBinary } from "./text.js";
import { fail, ok, type Result } from "./types.js";
import { isErrnoException, type WorkspacePath } from "./workspace.js";

export interface TextFile {
  text: string;
  /** Permission bits, kept when the file is rewritten. */
  mode: number;
}

/**
 * Reads a file an edit tool may change: text only, lossless as UTF-8, under
 * the size cap. `null` when it does not exist.
 */
export async function readEditableFile(
  file: WorkspacePath,
  maxBytes: number,
): Promise<Result<TextFile | null>> {
  let size: number;
  let mode: number;
  try {
    const stats = await stat(file.abs);
    if (stats.isDirectory()) return fail("invalid_arguments", `${file.rel} is a directory, not a file`);
    size = stats.size;
    mode = stats.mode & 0o7777;
  } catch (error) {
    if (isErrnoException(error) && error.code === "ENOENT") return ok(null);
    return fail("io_error", `cannot read ${file.rel}: ${String(error)}`);
  }
  if (size > maxBytes) {
    return fail("too_large", `${file.rel} is ${size} bytes; edit tools handle files up to ${maxBytes} bytes`);
  }
  const bytes = await readFile(file.abs);
  if (looksBinary(bytes))
    return fail("binary_file", `${file.rel} is a binary file; it cannot be edited as text`);
  const text = bytes.toString("utf8");
  if (!isLosslessUtf8(bytes, text)) {
    return fail("binary_file", `${file.rel} is not valid UTF-8; editing it as text would corrupt it`);
  }
  return ok({ text, mode });
}
