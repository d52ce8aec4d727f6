/** Why an MCP operation failed, in words the model (and the user) can act on. */
export type McpFailureKind =
  /** The server could not be started or did not finish the handshake. */
  | "start_failed"
  /** The server did not answer in time; it is restarted on next use. */
  | "timeout"
  /** The server exited or closed the connection; it is restarted on next use. */
  | "crashed"
  /** The server answered with something that is not a valid MCP result; it is restarted on next use. */
  | "invalid_response"
  /** The server refused the request with a JSON-RPC error (it is still running). */
  | "protocol_error"
  /** The caller cancelled. */
  | "cancelled"
  /** No such server, tool, resource or prompt. */
  | "not_found";

export interface McpFailure {
  kind: McpFailureKind;
  message: string;
}

export type McpResult<T> = { ok: true; value: T } | { ok: false; error: McpFailure };

export function failure<T = never>(kind: McpFailureKind, message: string): McpResult<T> {
  return { ok: false, error: { kind, message } };
}

/** An error's message, with its cause (fetch's "fetch failed" says why only there). */
export function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return cause && !error.message.includes(cause) ? `${error.message} (${cause})` : error.message;
}
