/** Lists whose items are identified by `name` (containers, volumes, env, mounts): merged item by item. */
function isNamedList(value: unknown): value is { name: string }[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every(
      (item) =>
        typeof item === "object" && item !== null && typeof (item as { name?: unknown }).name === "string",
    )
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Merges Kubernetes objects the way a strategic merge patch treats a pod:
 * objects key by key, lists of named items (containers, env, volumes) by
 * name, any other list and every scalar replaced by `overlay`. `undefined`
 * in the overlay keeps the base. Neither input is changed.
 */
export function mergeManifest<T>(base: T, overlay: unknown): T {
  return mergeValue(base, overlay) as T;
}

function mergeValue(base: unknown, overlay: unknown): unknown {
  if (overlay === undefined) return structuredClone(base);
  if (isPlainObject(base) && isPlainObject(overlay)) {
    const out: Record<string, unknown> = structuredClone(base);
    for (const [key, value] of Object.entries(overlay)) out[key] = mergeValue(base[key], value);
    return out;
  }
  if (isNamedList(base) && isNamedList(overlay)) {
    const out = base.map((item) => structuredClone(item));
    for (const item of overlay) {
      const at = out.findIndex((existing) => existing.name === item.name);
      if (at === -1) out.push(structuredClone(item));
      else out[at] = mergeValue(out[at], item) as { name: string };
    }
    return out;
  }
  return structuredClone(overlay);
}
