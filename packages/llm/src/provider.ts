import type { ModelRequest } from "@toad/core";
import { type CredentialHint, type ModelError, missingKeyError } from "./errors.js";
import type { ResolvedModel } from "./routing.js";
import type { HttpRequest } from "./transport.js";
import { anthropicBody } from "./wire/anthropic-request.js";
import { bodyJson } from "./wire/body-json.js";
import { imagesAsNotes } from "./wire/messages.js";
import { chatBody, dialectOf, responsesBody } from "./wire/openai-request.js";

// One internal request → one provider's HTTP request (URL, headers, body).

export const ANTHROPIC_VERSION = "2023-06-01";

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

export function credentialHint(resolved: ResolvedModel): CredentialHint {
  return { provider: resolved.providerId, apiKeyEnv: resolved.provider.apiKeyEnv };
}

/** The body as an object (tests and the bench inspect it before serialisation). */
export function providerBody(given: ModelRequest, resolved: ResolvedModel): Record<string, unknown> {
  const { model, provider } = resolved;
  // Decided per model, so a fallback to a model without vision still gets a request it accepts.
  const request = model.images ? given : { ...given, messages: imagesAsNotes(given.messages, model.id) };
  switch (provider.api) {
    case "anthropic":
      return anthropicBody(request, model);
    case "openai-chat":
      return chatBody(request, model, dialectOf(provider.baseUrl));
    case "openai-responses":
      return responsesBody(request, model);
  }
}

export function buildHttpRequest(request: ModelRequest, resolved: ResolvedModel): HttpRequest | ModelError {
  const { provider, apiKey } = resolved;
  const hint = credentialHint(resolved);
  if (apiKey === undefined && provider.keyRequired !== false) return missingKeyError(hint);
  const base = trimSlash(provider.baseUrl);
  const headers: Record<string, string> = { "content-type": "application/json", accept: "text/event-stream" };
  let url: string;
  switch (provider.api) {
    case "anthropic":
      url = `${base}/v1/messages`;
      headers["anthropic-version"] = ANTHROPIC_VERSION;
      if (apiKey !== undefined) headers["x-api-key"] = apiKey;
      break;
    case "openai-chat":
      url = `${base}/chat/completions`;
      if (apiKey !== undefined) headers.authorization = `Bearer ${apiKey}`;
      break;
    case "openai-responses":
      url = `${base}/responses`;
      if (apiKey !== undefined) headers.authorization = `Bearer ${apiKey}`;
      break;
  }
  Object.assign(headers, provider.headers);
  const schemas = new Set(request.tools.map((tool) => tool.inputSchema));
  return { api: provider.api, url, headers, body: bodyJson(providerBody(request, resolved), schemas), hint };
}
