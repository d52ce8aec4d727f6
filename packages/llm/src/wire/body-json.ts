// A provider body as JSON text, byte for byte what JSON.stringify gives, with
// each tool's input schema serialised once per schema object. Every request of
// a session carries the same tool specs (the router's proto conversion shares
// one parsed schema per schema text), and their schemas are most of the bytes
// of a short conversation's body. Tool schemas are never changed once made.

type Json = Record<string, unknown>;

const schemaJson = new WeakMap<object, string>();

/** The JSON text of `body`; the objects in `schemas` are taken from the cache (or cached). */
export function bodyJson(body: Json, schemas: ReadonlySet<unknown>): string {
  if (schemas.size === 0 || !Array.isArray(body.tools)) return JSON.stringify(body);
  let out = "{";
  for (const key of Object.keys(body)) {
    // Only the tools are walked: array → tool → (Chat's `function`) → schema.
    const text = key === "tools" ? json(body[key], schemas, 3) : JSON.stringify(body[key]);
    if (text === undefined) continue;
    if (out.length > 1) out += ",";
    out += `${JSON.stringify(key)}:${text}`;
  }
  return `${out}}`;
}

function json(value: unknown, schemas: ReadonlySet<unknown>, depth: number): string | undefined {
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  if (schemas.has(value)) {
    let text = schemaJson.get(value);
    if (text === undefined) {
      text = JSON.stringify(value);
      schemaJson.set(value, text);
    }
    return text;
  }
  if (depth === 0 || typeof (value as { toJSON?: unknown }).toJSON === "function")
    return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ",";
      out += json(value[i], schemas, depth - 1) ?? "null";
    }
    return `${out}]`;
  }
  let out = "{";
  for (const key of Object.keys(value)) {
    const text = json((value as Json)[key], schemas, depth - 1);
    if (text === undefined) continue;
    if (out.length > 1) out += ",";
    out += `${JSON.stringify(key)}:${text}`;
  }
  return `${out}}`;
}
