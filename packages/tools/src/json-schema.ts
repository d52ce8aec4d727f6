import type { JsonValue } from "@toad/core";
import { z } from "zod";

function isJsonObject(value: JsonValue): value is { [key: string]: JsonValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The model-facing JSON Schema of a tool's arguments: the input side of the
 * zod schema (fields with defaults are optional), without the `$schema` key
 * that provider APIs do not want.
 */
export function toJsonSchema(schema: z.ZodType): { [key: string]: JsonValue } {
  // A JSON round trip turns the generator's output into plain JSON values.
  const json: JsonValue = JSON.parse(JSON.stringify(z.toJSONSchema(schema, { io: "input" })));
  if (!isJsonObject(json)) throw new Error("a tool schema must be a JSON object schema");
  const { $schema: _dropped, ...rest } = json;
  return rest;
}
