/**
 * How the store reports failure.
 *
 * Misuse of the store (an unknown session, an event body that is not a core
 * event, a checkpoint of a path listed twice) throws a `StoreError` whose
 * `code` the caller can switch on: it is a bug in the caller, not an outcome.
 * Restoring files (`undo`, `rewind`) can fail for ordinary reasons (nothing
 * to undo, a file that cannot be written), so those return a `Result`.
 */

export type StoreErrorCode =
  /** No session has this id. */
  | "session_not_found"
  /** `create` was given an id that is already taken. */
  | "session_exists"
  /** An argument is malformed; the message names it. */
  | "invalid_input"
  /** The body is not a valid core event; nothing was written. */
  | "invalid_event"
  /** A stored row could not be read back (the database was edited by hand or damaged). */
  | "corrupt_data"
  /** The database was written by a newer TOAD whose schema this one does not know. */
  | "schema_too_new"
  /** No data directory can be derived from the environment. */
  | "no_location";

export class StoreError extends Error {
  override readonly name = "StoreError";

  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function err<E>(error: E): { ok: false; error: E } {
  return { ok: false, error };
}
