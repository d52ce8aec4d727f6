import type { WorkspaceFs } from "./fs/port.js";
import { errorMessage, isLosslessUtf8, looksBinary } from "./text.js";
import { fail, ok, type Result } from "./types.js";
import type { WorkspacePath } from "./workspace.js";

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
  fs: WorkspaceFs,
  file: WorkspacePath,
  maxBytes: number,
): Promise<Result<TextFile | null>> {
  let read: Awaited<ReturnType<WorkspaceFs["readFile"]>>;
  try {
    read = await fs.readFile(file.abs, maxBytes);
  } catch (error) {
    return fail("io_error", `cannot read ${file.rel}: ${errorMessage(error)}`);
  }
  if (read.kind === "missing") return ok(null);
  if (read.kind === "directory") return fail("invalid_arguments", `${file.rel} is a directory, not a file`);
  if (read.kind === "too_large") {
    return fail(
      "too_large",
      `${file.rel} is ${read.size} bytes; edit tools handle files up to ${maxBytes} bytes`,
    );
  }
  const bytes = read.bytes;
  if (looksBinary(bytes))
    return fail("binary_file", `${file.rel} is a binary file; it cannot be edited as text`);
  const text = bytes.toString("utf8");
  if (!isLosslessUtf8(bytes, text)) {
    return fail("binary_file", `${file.rel} is not valid UTF-8; editing it as text would corrupt it`);
  }
  return ok({ text, mode: read.mode });
}
