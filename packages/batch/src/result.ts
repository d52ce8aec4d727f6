/** Failures the batch reports to its caller as values, with a code to branch on and a readable message. */
export type BatchErrorCode =
  | "bad_dataset"
  | "bad_selection"
  | "missing_repository"
  | "missing_commit"
  | "git_failed"
  | "bad_run_dir"
  | "config_mismatch";

export interface BatchError {
  code: BatchErrorCode;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: BatchError };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function fail(code: BatchErrorCode, message: string): { ok: false; error: BatchError } {
  return { ok: false, error: { code, message } };
}
