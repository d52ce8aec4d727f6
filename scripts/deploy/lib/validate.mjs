// Validates sets of manifests. A set is what one `kubectl apply` or one release would create
// (references resolve within it). Each object is checked against the Kubernetes API schema
// (kubernetes-models), for unknown fields (its TypeScript interface), then the set's
// references and TOAD's policies.
import { loadModel } from "./kinds.mjs";
import { Index } from "./objects.mjs";
import { checkPolicies } from "./policies.mjs";
import { checkReferences } from "./references.mjs";
import { kindTypes, unknownFields } from "./strict-fields.mjs";

/**
 * @param {string} root repository root (for module resolution)
 * @param {Array<{ label: string, docs: import("./load.mjs").Doc[], loadErrors: string[],
 *   namespace: string, prod?: boolean, selfContained?: boolean }>} sets
 */
export async function validateSets(root, sets) {
  const kinds = new Set();
  for (const set of sets) for (const d of set.docs) kinds.add(`${d.obj.apiVersion}/${d.obj.kind}`);
  const models = new Map();
  for (const key of kinds) {
    const cut = key.lastIndexOf("/");
    models.set(key, await loadModel(key.slice(0, cut), key.slice(cut + 1)));
  }
  const known = new Set([...models].filter(([, m]) => m.model !== undefined).map(([k]) => k));
  const { checker, types, problems } = kindTypes(root, known);
  if (problems.length > 0) throw new Error(`strict-fields: ${problems.join("; ")}`);

  const results = [];
  for (const set of sets) {
    const errors = [...set.loadErrors];
    const byKind = new Map();
    for (const doc of set.docs) {
      const key = `${doc.obj.apiVersion}/${doc.obj.kind}`;
      byKind.set(doc.obj.kind, (byKind.get(doc.obj.kind) ?? 0) + 1);
      const { model, error } = models.get(key) ?? { error: "no model" };
      if (error !== undefined) {
        errors.push(`${doc.source}: ${error}`);
        continue;
      }
      try {
        new model(doc.obj).validate();
      } catch (err) {
        errors.push(`${doc.source}: schema: ${describe(err)}`);
      }
      for (const path of unknownFields(checker, types.get(key), doc.obj)) {
        errors.push(`${doc.source}: unknown field ${path}`);
      }
    }
    const index = new Index(set.docs, set.namespace);
    for (const doc of set.docs) {
      if (doc.obj.metadata?.name === undefined) continue; // generateName: created, never duplicated
      const previous = index.add(doc);
      if (previous !== undefined) errors.push(`${doc.source}: duplicates ${previous.source}`);
    }
    for (const doc of set.docs) if (doc.obj.metadata?.name === undefined) index.add(doc);
    const refs = checkReferences(index, { selfContained: set.selfContained });
    const policies = checkPolicies(index, { prod: set.prod });
    errors.push(...refs.errors, ...policies.errors);
    results.push({
      label: set.label,
      objects: set.docs.length,
      embedded: set.docs.filter((d) => d.embedded).length,
      byKind,
      refChecks: refs.checked,
      policyChecks: policies.checked,
      externalSecrets: [...refs.externalSecrets].sort(),
      errors,
    });
  }
  return results;
}

function describe(err) {
  if (err && typeof err === "object" && Array.isArray(err.errors)) {
    return err.errors.map((e) => `${e.instancePath || "/"} ${e.message}`).join("; ");
  }
  return err instanceof Error ? err.message : String(err);
}
