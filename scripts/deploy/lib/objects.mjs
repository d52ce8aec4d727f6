// Small helpers over parsed Kubernetes objects: identity, pod templates, label selectors.
import { CLUSTER_SCOPED } from "./kinds.mjs";

export function nsOf(obj, defaultNamespace) {
  if (CLUSTER_SCOPED.has(obj.kind)) return "";
  return obj.metadata?.namespace ?? defaultNamespace;
}

export function nameOf(obj) {
  return obj.metadata?.name ?? obj.metadata?.generateName ?? "";
}

/** An index of a set's objects by kind, namespace and name. */
export class Index {
  constructor(docs, defaultNamespace) {
    this.docs = docs;
    this.defaultNamespace = defaultNamespace;
    this.byKey = new Map();
  }

  key(kind, ns, name) {
    return `${kind}|${ns}|${name}`;
  }

  add(doc) {
    const k = this.key(doc.obj.kind, nsOf(doc.obj, this.defaultNamespace), nameOf(doc.obj));
    const seen = this.byKey.get(k);
    this.byKey.set(k, doc);
    return seen;
  }

  get(kind, ns, name) {
    return this.byKey.get(this.key(kind, ns, name));
  }

  ofKind(...kinds) {
    return this.docs.filter((d) => kinds.includes(d.obj.kind));
  }
}

const WORKLOADS = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "Pod"]);

/** The pod template of a workload: { spec, labels, annotations } (a Pod is its own template). */
export function podTemplate(obj) {
  if (!WORKLOADS.has(obj.kind)) return undefined;
  if (obj.kind === "Pod") {
    return {
      spec: obj.spec ?? {},
      labels: obj.metadata?.labels ?? {},
      annotations: obj.metadata?.annotations ?? {},
    };
  }
  const t = obj.spec?.template ?? {};
  return { spec: t.spec ?? {}, labels: t.metadata?.labels ?? {}, annotations: t.metadata?.annotations ?? {} };
}

export function allContainers(spec) {
  return [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
}

/** Does a LabelSelector (matchLabels + matchExpressions) select these labels? */
export function selects(selector, labels) {
  if (selector === undefined || selector === null) return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[k] !== v) return false;
  }
  for (const expr of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, expr.key);
    const values = expr.values ?? [];
    if (expr.operator === "In" && !(has && values.includes(labels[expr.key]))) return false;
    if (expr.operator === "NotIn" && has && values.includes(labels[expr.key])) return false;
    if (expr.operator === "Exists" && !has) return false;
    if (expr.operator === "DoesNotExist" && has) return false;
  }
  return true;
}

/** A Service's selector is a plain map. */
export function selectsMap(selector, labels) {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** Pod templates of a namespace, with the object that owns them. */
export function podsIn(index, ns) {
  return index.docs
    .map((doc) => ({ doc, pod: podTemplate(doc.obj) }))
    .filter(({ doc, pod }) => pod !== undefined && nsOf(doc.obj, index.defaultNamespace) === ns);
}

export function containerPorts(spec) {
  return allContainers(spec).flatMap((c) => c.ports ?? []);
}
