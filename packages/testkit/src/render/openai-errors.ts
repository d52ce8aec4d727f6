// OpenAI error bodies ({"error":{message,type,param,code}}), shared by Chat
// Completions and Responses. Types and codes follow recorded bodies in
// fixtures/wire/errors.

interface OpenAiErrorShape {
  type: string;
  code: string | null;
  message: string;
}

const BAD_REQUEST: OpenAiErrorShape = {
  type: "invalid_request_error",
  code: null,
  message: "Invalid request.",
};
const SERVER_ERROR: OpenAiErrorShape = {
  type: "server_error",
  code: null,
  message: "The server had an error while processing your request. Sorry about that!",
};

const SHAPES: Record<number, OpenAiErrorShape> = {
  400: BAD_REQUEST,
  401: {
    type: "invalid_request_error",
    code: "invalid_api_key",
    message: "Incorrect API key provided: sk-mock.",
  },
  403: { type: "invalid_request_error", code: "permission_denied", message: "Permission denied." },
  404: { type: "invalid_request_error", code: "model_not_found", message: "The model does not exist." },
  429: {
    type: "requests",
    code: "rate_limit_exceeded",
    message:
      "Rate limit reached for requests per min (RPM): Limit 4000, Used 4000, Requested 1. Please try again in 15ms.",
  },
  500: SERVER_ERROR,
  503: {
    type: "server_error",
    code: null,
    message: "The engine is currently overloaded, please try again later.",
  },
  529: {
    type: "server_error",
    code: null,
    message: "The engine is currently overloaded, please try again later.",
  },
};

export function openaiErrorBody(
  status: number,
  override: { errorType?: string; code?: string; message?: string } = {},
): Record<string, unknown> {
  const shape = SHAPES[status] ?? (status >= 500 ? SERVER_ERROR : BAD_REQUEST);
  return {
    error: {
      message: override.message ?? shape.message,
      type: override.errorType ?? shape.type,
      param: null,
      code: override.code ?? shape.code,
    },
  };
}
