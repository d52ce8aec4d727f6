import type { Decision, ModelTier, PermissionMode } from "@toad/core";
import * as pb from "@toad/proto";

/** Two-way enum tables between core strings and proto numbers; 0 (unspecified) reads as `undefined`. */
function table<S extends string, N extends number>(pairs: Record<S, N>) {
  const reverse = new Map<number, S>();
  for (const [name, value] of Object.entries(pairs) as [S, N][]) reverse.set(value, name);
  return {
    toProto: (value: S): N => pairs[value],
    fromProto: (value: number): S | undefined => reverse.get(value),
  };
}

export const permissionModes = table<PermissionMode, pb.PermissionMode>({
  plan: pb.PermissionMode.PERMISSION_MODE_PLAN,
  ask: pb.PermissionMode.PERMISSION_MODE_ASK,
  "auto-edit": pb.PermissionMode.PERMISSION_MODE_AUTO_EDIT,
  "full-auto": pb.PermissionMode.PERMISSION_MODE_FULL_AUTO,
});

export const tiers = table<ModelTier, pb.ModelTier>({
  fast: pb.ModelTier.MODEL_TIER_FAST,
  balanced: pb.ModelTier.MODEL_TIER_BALANCED,
  premium: pb.ModelTier.MODEL_TIER_PREMIUM,
  reasoning: pb.ModelTier.MODEL_TIER_REASONING,
});

export const decisions = table<Decision, pb.Decision>({
  allow: pb.Decision.DECISION_ALLOW,
  deny: pb.Decision.DECISION_DENY,
  allow_always: pb.Decision.DECISION_ALLOW_ALWAYS,
});

export type ToolLocation = "sandbox" | "client";

export const toolLocations = table<ToolLocation, pb.ToolLocation>({
  sandbox: pb.ToolLocation.TOOL_LOCATION_SANDBOX,
  client: pb.ToolLocation.TOOL_LOCATION_CLIENT,
});
