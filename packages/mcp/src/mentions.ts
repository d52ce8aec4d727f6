import type { Prompt } from "@modelcontextprotocol/sdk/types.js";
import { promptText, resourceText } from "./content.js";
import { failure, type McpResult } from "./errors.js";
import type { McpHub } from "./hub.js";
import { qualifiedToolName } from "./names.js";

/** `@server:uri` in a prompt names a resource of an MCP server. */
const MENTION = /(^|\s)@([A-Za-z0-9][A-Za-z0-9_-]*):(\S+)/g;

export interface ExpandedPrompt {
  text: string;
  /** The resources that were attached, as `server:uri`. */
  attached: string[];
  /** Mentions that named a known server but could not be read. */
  problems: string[];
}

/**
 * Attaches the resources a prompt mentions (`@server:uri`) after the prompt
 * text, so the model reads them with the request. Mentions of unknown servers
 * are left alone (they may be e-mail addresses or decorators).
 */
export async function expandMentions(
  text: string,
  hub: McpHub,
  signal: AbortSignal = new AbortController().signal,
): Promise<ExpandedPrompt> {
  const wanted = new Map<string, { server: string; uri: string }>();
  for (const match of text.matchAll(MENTION)) {
    const server = match[2] ?? "";
    // Sentence punctuation after a mention is not part of the URI.
    const uri = (match[3] ?? "").replace(/[.,;:!?)\]]+$/, "");
    if (hub.connection(server) && uri !== "") wanted.set(`${server}:${uri}`, { server, uri });
  }
  const attached: string[] = [];
  const problems: string[] = [];
  const blocks: string[] = [];
  for (const [key, { server, uri }] of wanted) {
    const read = await hub.readResource(server, uri, signal);
    if (read.ok) {
      attached.push(key);
      blocks.push(`<resource server="${server}" uri="${uri}">\n${resourceText(read.value)}\n</resource>`);
    } else {
      problems.push(`@${key}: ${read.error.message}`);
      blocks.push(`[@${key} could not be read: ${read.error.message}]`);
    }
  }
  return { text: blocks.length > 0 ? `${text}\n\n${blocks.join("\n\n")}` : text, attached, problems };
}

export interface PromptCommand {
  /** `mcp__<server>__<prompt>`, typed as `/mcp__<server>__<prompt> args…`. */
  name: string;
  server: string;
  prompt: Prompt;
  description: string;
  /** Argument names in order, for a hint like `<file> <focus>`. */
  argumentNames: string[];
}

/** Every prompt of every server, as a slash command. */
export async function promptCommands(
  hub: McpHub,
  signal: AbortSignal = new AbortController().signal,
): Promise<PromptCommand[]> {
  const listed = await hub.listPrompts(signal);
  return listed.flatMap(({ server, prompts }) =>
    prompts.map((prompt) => ({
      name: qualifiedToolName(server, prompt.name),
      server,
      prompt,
      description: prompt.description ?? prompt.title ?? `MCP prompt ${prompt.name} (${server})`,
      argumentNames: (prompt.arguments ?? []).map((argument) => argument.name),
    })),
  );
}

/**
 * Runs `/mcp__server__prompt arg1 arg2…`: positional words fill the prompt's
 * arguments in order, the last one takes the rest of the line. Returns
 * undefined when the text is not such a command, else the prompt's text.
 */
export async function resolvePromptCommand(
  text: string,
  hub: McpHub,
  signal: AbortSignal = new AbortController().signal,
): Promise<McpResult<string> | undefined> {
  const match = /^\/(mcp__\S+)(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!match?.[1]) return undefined;
  const commands = await promptCommands(hub, signal);
  const command = commands.find((candidate) => candidate.name === match[1]);
  if (!command) return undefined;
  const names = command.argumentNames;
  const words = (match[2] ?? "").trim() === "" ? [] : (match[2] ?? "").trim().split(/\s+/);
  const args: Record<string, string> = {};
  names.forEach((name, index) => {
    const value = index === names.length - 1 ? words.slice(index).join(" ") : words[index];
    if (value !== undefined && value !== "") args[name] = value;
  });
  const missing = (command.prompt.arguments ?? [])
    .filter((argument) => argument.required && args[argument.name] === undefined)
    .map((argument) => argument.name);
  if (missing.length > 0) {
    return failure(
      "not_found",
      `/${command.name} needs ${missing.join(", ")}: /${command.name} ${names.map((n) => `<${n}>`).join(" ")}`,
    );
  }
  const got = await hub.getPrompt(command.server, command.prompt.name, args, signal);
  return got.ok ? { ok: true, value: promptText(got.value) } : got;
}
