import type { ToolSpec } from "@toad/core";
import { z } from "zod";
import { toJsonSchema } from "./json-schema.js";
import type { Result, ToolContext, ToolEffect, ToolOutput, ToolPreview } from "./types.js";
import { fail } from "./types.js";

/**
 * One tool, typed by its zod schema. The schema is the single source of the
 * model-facing JSON Schema and of argument validation.
 */
export interface ToolDefinition<S extends z.ZodType> {
  name: string;
  description: string;
  /**
   * The strongest effect any call of the tool can have, so gating by tool
   * name alone is safe; `effectFor` refines it per call (git status reads,
   * git commit runs hooks).
   */
  effect: ToolEffect;
  effectFor?: (args: z.output<S>) => ToolEffect;
  schema: S;
  /** What the call would do, without doing it (for approval). An error means the call cannot succeed. */
  preview(args: z.output<S>, ctx: ToolContext): Promise<Result<ToolPreview>>;
  /** `approved` is the preview a person approved for this call, if any: edits refuse to apply anything else. */
  execute(args: z.output<S>, ctx: ToolContext, approved?: ToolPreview): Promise<Result<ToolOutput>>;
}

/** A call whose arguments passed validation, ready for approval and execution. */
export interface BoundCall {
  effect: ToolEffect;
  /** The validated arguments (defaults applied). */
  args: unknown;
  preview(): Promise<Result<ToolPreview>>;
  execute(approved?: ToolPreview): Promise<Result<ToolOutput>>;
}

/** A tool with its argument type erased: what a registry holds. */
export interface Tool {
  readonly name: string;
  readonly description: string;
  readonly effect: ToolEffect;
  spec(): ToolSpec;
  bind(args: unknown, ctx: ToolContext): Result<BoundCall>;
}

export function defineTool<S extends z.ZodType>(definition: ToolDefinition<S>): Tool {
  let spec: ToolSpec | undefined;
  return {
    name: definition.name,
    description: definition.description,
    effect: definition.effect,
    spec() {
      spec ??= {
        name: definition.name,
        description: definition.description,
        inputSchema: toJsonSchema(definition.schema),
      };
      return spec;
    },
    bind(raw, ctx) {
      const parsed = definition.schema.safeParse(raw);
      if (!parsed.success) {
        return fail(
          "invalid_arguments",
          `invalid arguments for ${definition.name}:\n${z.prettifyError(parsed.error)}`,
        );
      }
      const args = parsed.data;
      return {
        ok: true,
        value: {
          effect: definition.effectFor?.(args) ?? definition.effect,
          args,
          preview: () => definition.preview(args, ctx),
          execute: (approved) => definition.execute(args, ctx, approved),
        },
      };
    },
  };
}
