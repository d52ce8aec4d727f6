import { anthropicErrorBody } from "./render/anthropic.js";
import { openaiErrorBody } from "./render/openai-errors.js";
import type { HttpFault, MidstreamErrorFault, WireFormat } from "./script.js";

// Error answers: scripted HTTP faults, and the server's own errors (script
// exhausted, bad request body), each in the body shape of the wire that was asked.

export interface ErrorReply {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

interface ErrorDetails {
  errorType?: string;
  code?: string;
  message?: string;
}

function errorBody(wire: WireFormat, status: number, requestId: string, details: ErrorDetails): unknown {
  return wire === "anthropic"
    ? anthropicErrorBody(status, requestId, details)
    : openaiErrorBody(status, details);
}

/** The reply for a scripted `{kind:"http"}` fault. */
export function httpFaultReply(wire: WireFormat, fault: HttpFault, requestId: string): ErrorReply {
  const headers: Record<string, string> = {};
  if (fault.retryAfterSeconds !== undefined) headers["retry-after"] = String(fault.retryAfterSeconds);
  if (fault.retryAfterMs !== undefined) headers["retry-after-ms"] = String(fault.retryAfterMs);
  if (fault.shouldRetry !== undefined) headers["x-should-retry"] = String(fault.shouldRetry);
  Object.assign(headers, fault.headers);
  const details: ErrorDetails = {};
  if (fault.errorType !== undefined) details.errorType = fault.errorType;
  if (fault.code !== undefined) details.code = fault.code;
  if (fault.message !== undefined) details.message = fault.message;
  return {
    status: fault.status,
    headers,
    body: fault.body !== undefined ? fault.body : errorBody(wire, fault.status, requestId, details),
  };
}

/**
 * A non-streaming request has no "mid-stream", so a midstream_error turn answers
 * it with the HTTP error a service would give instead: 529 overloaded (Anthropic)
 * or 500 server_error (OpenAI).
 */
export function midstreamAsHttpReply(
  wire: WireFormat,
  fault: MidstreamErrorFault,
  requestId: string,
): ErrorReply {
  const status = wire === "anthropic" ? 529 : 500;
  const details: ErrorDetails = {};
  if (fault.errorType !== undefined) details.errorType = fault.errorType;
  if (fault.message !== undefined) details.message = fault.message;
  return { status, headers: {}, body: errorBody(wire, status, requestId, details) };
}

/**
 * The server's own error (no turn left, unreadable body). `x-should-retry: false`
 * stops the SDKs from retrying a request that can only fail again.
 */
export function serverErrorReply(
  wire: WireFormat,
  status: number,
  requestId: string,
  message: string,
): ErrorReply {
  return {
    status,
    headers: { "x-should-retry": "false" },
    body: errorBody(wire, status, requestId, { message }),
  };
}
