import type { ContentBlock, Message, ModelRequest } from "@toad/core";

// Token counting. A real BPE tokenizer (o200k_base, GPT-4o/GPT-5's encoding,
// shipped inside js-tiktoken: no download) when the caller can afford to load
// it (~0.6 s, ~20 MB), and a fast estimate calibrated against it.

export interface TokenCounter {
  readonly name: string;
  count(text: string): number;
}

// The estimate splits text the way BPE pre-tokenizers do (words with their
// leading space, short digit runs, punctuation runs, whitespace runs, other
// scripts per character) and charges each piece. The weights were fitted
// against o200k_base on 696 chunks of 3,000 characters (TypeScript, JavaScript,
// .d.ts, Markdown, JSON and SSE captures): median error 5%, 90th percentile
// 13%, where characters/4 gives 9% and 32%.
const PIECES = /[ ]?[A-Za-z]+|[ ]?\d{1,3}|[ ]?[^\sA-Za-z\d\u0080-\uffff]+|\s+|[\u0080-\uffff]/g;
const LETTERS_PER_TOKEN = 8;
const SYMBOLS_PER_TOKEN = 5;
const WHITESPACE_RUN = 0.4;

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

export function estimateTokens(text: string): number {
  let total = 0;
  for (const match of text.matchAll(PIECES)) {
    const piece = match[0];
    const last = piece.charCodeAt(piece.length - 1);
    const lead = piece.charCodeAt(0) === 32 && piece.length > 1 ? 1 : 0;
    if (isLetter(last)) total += Math.max(1, Math.ceil((piece.length - lead) / LETTERS_PER_TOKEN));
    else if (last >= 48 && last <= 57) total += 1;
    else if (last > 127) total += 1;
    else if (piece.trim() === "") total += WHITESPACE_RUN;
    else total += Math.max(1, Math.ceil((piece.length - lead) / SYMBOLS_PER_TOKEN));
  }
  return Math.ceil(total);
}

export const estimateCounter: TokenCounter = { name: "estimate", count: estimateTokens };

/** Loads the o200k_base tokenizer shipped in js-tiktoken (no network). */
export async function loadTiktokenCounter(): Promise<TokenCounter> {
  const [{ Tiktoken }, ranks] = await Promise.all([
    import("js-tiktoken/lite"),
    import("js-tiktoken/ranks/o200k_base"),
  ]);
  const encoder = new Tiktoken(ranks.default);
  // No special tokens: "<|endoftext|>" in a file is text, not a reason to throw.
  return { name: "o200k_base", count: (text) => encoder.encode(text, [], []).length };
}

/** Framing every API adds around a message or a tool block. */
const MESSAGE_OVERHEAD = 4;
const TOOL_BLOCK_OVERHEAD = 10;
/** A typical screenshot-sized image (Anthropic: width × height / 750, ~1,600 at most). */
const IMAGE_TOKENS = 1600;

export function countBlockTokens(block: ContentBlock, counter: TokenCounter): number {
  switch (block.type) {
    case "text":
      return counter.count(block.text);
    case "thinking":
      return counter.count(block.text);
    case "tool_use":
      return TOOL_BLOCK_OVERHEAD + counter.count(block.name) + counter.count(block.argumentsJson);
    case "tool_result":
      return TOOL_BLOCK_OVERHEAD + counter.count(block.output);
    case "image":
      return IMAGE_TOKENS;
  }
}

export function countMessageTokens(message: Message, counter: TokenCounter): number {
  let total = MESSAGE_OVERHEAD;
  for (const block of message.content) total += countBlockTokens(block, counter);
  return total;
}

/** The whole prompt: system, tool definitions and conversation. */
export function countRequestTokens(
  request: Pick<ModelRequest, "system" | "tools" | "messages">,
  counter: TokenCounter,
): number {
  let total = counter.count(request.system);
  for (const tool of request.tools) total += TOOL_BLOCK_OVERHEAD + counter.count(JSON.stringify(tool));
  for (const message of request.messages) total += countMessageTokens(message, counter);
  return total;
}
