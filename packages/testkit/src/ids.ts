import { randomBytes } from "node:crypto";

// Identifiers in the shapes the real services use, so code that sniffs a prefix
// (toolu_ / call_ / fc_ / req_) sees what it would see in production.

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function base62(length: number): string {
  let out = "";
  for (const byte of randomBytes(length)) out += BASE62.charAt(byte % 62);
  return out;
}

function hex(bytes: number): string {
  return randomBytes(bytes).toString("hex");
}

export const newId = {
  anthropicMessage: (): string => `msg_01${base62(22)}`,
  anthropicToolUse: (): string => `toolu_01${base62(22)}`,
  anthropicRequest: (): string => `req_011C${base62(20)}`,
  openaiRequest: (): string => `req_${hex(16)}`,
  chatCompletion: (): string => `chatcmpl-${base62(29)}`,
  toolCall: (): string => `call_${base62(24)}`,
  response: (): string => `resp_${hex(25)}`,
  responseItem: (prefix: "msg" | "fc" | "rs"): string => `${prefix}_${hex(25)}`,
  signature: (): string => randomBytes(96).toString("base64"),
  fingerprint: (): string => `fp_${hex(5)}`,
};
