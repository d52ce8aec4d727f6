import type { AgentTools, PermissionRules, ToolOutcome } from "@toad/agent";
import { BUILTIN_TOOL_NAMES, createBuiltinTools, toolSpecs } from "@toad/tools";
import type { DelegatedCall } from "../bus/port.js";

/**
 * The tools of a session whose tools run on the client (the CLI talking to a
 * gateway). The service offers the model the built-in tools, and executing a
 * call means handing it to the client and waiting for its result: the client
 * validates, asks its user for approval under its own permission mode, runs
 * the tool in the developer's working tree and answers with SubmitToolResult.
 *
 * The effect is the tool's strongest (by name), so the loop still runs writes
 * and commands one at a time in the model's order, and plan mode still
 * refuses writes before anything reaches the client.
 */
export function clientTools(
  delegate: (call: DelegatedCall, signal: AbortSignal) => Promise<ToolOutcome>,
): AgentTools {
  const { registry, specs } = builtins();
  return {
    specs: () => specs,
    prepare(call, signal) {
      const effect = registry.get(call.name)?.effect ?? "command";
      return {
        ok: true,
        call: {
          effect,
          preview: async () => ({ ok: true, preview: { summary: `${call.name} on the client` } }),
          execute: () => delegate(call, signal),
        },
      };
    },
  };
}

let cached:
  | { registry: ReturnType<typeof createBuiltinTools>; specs: ReturnType<typeof toolSpecs> }
  | undefined;

/**
 * The built-in tools' registry and specs, built on first use and shared by
 * every run: turning their schemas into JSON Schema takes milliseconds, which
 * every other stream on the replica would otherwise wait out at each run start.
 */
function builtins() {
  if (cached === undefined) {
    const registry = createBuiltinTools();
    cached = { registry, specs: toolSpecs(registry) };
  }
  return cached;
}

/** The service lets every call through to the client, which applies the user's own policy. */
export const CLIENT_TOOL_RULES: PermissionRules = { allow: [...BUILTIN_TOOL_NAMES] };
