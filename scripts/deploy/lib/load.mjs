// Reads multi-document YAML into objects, each remembering where it came from. ConfigMap
// keys that hold a Kubernetes object (the sandbox pod template) become documents too, so
// what the sandbox service will create is validated like everything else; JSON keys must parse.
import { readFileSync } from "node:fs";
import { parseAllDocuments, parse as parseYaml } from "yaml";

/**
 * @typedef {{ obj: Record<string, any>, source: string, embedded?: boolean }} Doc
 * @returns {{ docs: Doc[], errors: string[] }}
 */
export function loadFile(file, label = file) {
  return loadText(readFileSync(file, "utf8"), label);
}

export function loadText(text, label) {
  const docs = [];
  const errors = [];
  parseAllDocuments(text, { uniqueKeys: true }).forEach((doc, i) => {
    const where = `${label}#${i + 1}`;
    if (doc.errors.length > 0) {
      errors.push(`${where}: YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
      return;
    }
    const obj = doc.toJS();
    if (obj === null || obj === undefined) return; // an empty document between separators
    if (typeof obj !== "object" || Array.isArray(obj)) {
      errors.push(`${where}: not a Kubernetes object`);
      return;
    }
    const items = obj.kind === "List" && Array.isArray(obj.items) ? obj.items : [obj];
    for (const item of items) {
      const source = `${where} ${item?.kind ?? "?"}/${item?.metadata?.name ?? item?.metadata?.generateName ?? "?"}`;
      docs.push({ obj: item, source });
      embedded(item, source, docs, errors);
    }
  });
  return { docs, errors };
}

function embedded(obj, source, docs, errors) {
  if (obj?.kind !== "ConfigMap" || obj.data === null || typeof obj.data !== "object") return;
  for (const [key, value] of Object.entries(obj.data)) {
    if (typeof value !== "string") {
      errors.push(`${source}: data.${key} is not a string`);
      continue;
    }
    if (key.endsWith(".json")) {
      try {
        JSON.parse(value);
      } catch (err) {
        errors.push(`${source}: data.${key} is not valid JSON: ${err instanceof Error ? err.message : err}`);
      }
    } else if (key.endsWith(".yaml") || key.endsWith(".yml")) {
      let inner;
      try {
        inner = parseYaml(value, { uniqueKeys: true });
      } catch (err) {
        errors.push(`${source}: data.${key} is not valid YAML: ${err instanceof Error ? err.message : err}`);
        continue;
      }
      if (inner && typeof inner === "object" && "apiVersion" in inner && "kind" in inner) {
        docs.push({ obj: inner, source: `${source} data.${key}`, embedded: true });
      }
    }
  }
}
