// apiVersion + kind -> the kubernetes-models module that holds its schema and interface.
// Only the built-in API groups are known; the chart ships no CRDs, so any other kind is an
// error (a typo in apiVersion or kind, or an object a cluster would reject).
/** "apps/v1" + "Deployment" -> "kubernetes-models/apps/v1/Deployment" ("v1" is the core group). */
export function modelPath(apiVersion, kind) {
  return `kubernetes-models/${apiVersion}/${kind}`;
}

/** Loads the model class for a kind, or returns an error message. */
export async function loadModel(apiVersion, kind) {
  if (typeof apiVersion !== "string" || typeof kind !== "string" || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) {
    return { error: `missing or malformed apiVersion/kind (${String(apiVersion)}/${String(kind)})` };
  }
  let mod;
  try {
    mod = await import(modelPath(apiVersion, kind));
  } catch (err) {
    const code = err instanceof Error && "code" in err ? err.code : "";
    if (code !== "ERR_PACKAGE_PATH_NOT_EXPORTED" && code !== "ERR_MODULE_NOT_FOUND") throw err;
    return {
      error: `unknown kind ${apiVersion}/${kind} (not a built-in Kubernetes 1.27 API; no CRDs are shipped)`,
    };
  }
  const model = mod[kind];
  if (typeof model !== "function" || model.kind !== kind || model.apiVersion !== apiVersion) {
    return { error: `unknown kind ${apiVersion}/${kind}` };
  }
  return { model };
}

/** Kinds without a namespace; every other kind must carry metadata.namespace in plain manifests. */
export const CLUSTER_SCOPED = new Set([
  "Namespace",
  "Node",
  "PersistentVolume",
  "ClusterRole",
  "ClusterRoleBinding",
  "StorageClass",
  "PriorityClass",
  "RuntimeClass",
  "IngressClass",
  "CustomResourceDefinition",
  "ValidatingWebhookConfiguration",
  "MutatingWebhookConfiguration",
  "APIService",
]);
