// Cross-object checks a schema cannot make: what a Service, HPA, PDB, NetworkPolicy,
// RoleBinding, Ingress or pod refers to must exist in the same set, with matching labels,
// port names and ConfigMap keys. Secrets the user provides are reported, not required.
import { allContainers, containerPorts, nsOf, podsIn, podTemplate, selects, selectsMap } from "./objects.mjs";

/**
 * selfContained: a plain `kubectl apply` set must also create every namespace it uses.
 * @returns {{ errors: string[], checked: number, externalSecrets: Set<string> }}
 */
export function checkReferences(index, { selfContained = false } = {}) {
  const out = { errors: [], checked: 0, externalSecrets: new Set() };
  const ctx = { index, out, fail: (doc, msg) => out.errors.push(`${doc.source}: ${msg}`) };
  for (const doc of index.docs) {
    const ns = nsOf(doc.obj, index.defaultNamespace);
    if (selfContained && ns !== "") need(ctx, doc, "Namespace", "", ns, "metadata.namespace");
    const pod = podTemplate(doc.obj);
    if (pod !== undefined) checkPod(ctx, doc, ns, pod);
    const check = KIND_CHECKS[doc.obj.kind];
    if (check !== undefined) check(ctx, doc, ns);
  }
  return out;
}

function need(ctx, doc, kind, ns, name, what) {
  ctx.out.checked++;
  const found = ctx.index.get(kind, ns, name);
  if (found === undefined)
    ctx.fail(doc, `${what} refers to ${kind} ${ns ? `${ns}/` : ""}${name}, which is not rendered`);
  return found;
}

/** A Secret may be the user's (LLM keys, passwords): reported, not required. */
function secretRef(ctx, ns, name, optional) {
  ctx.out.checked++;
  if (ctx.index.get("Secret", ns, name) === undefined) {
    ctx.out.externalSecrets.add(`${ns}/${name}${optional ? " (optional)" : ""}`);
  }
}

function checkPod(ctx, doc, ns, pod) {
  const { spec } = pod;
  const { obj } = doc;
  if (obj.spec?.selector && obj.kind !== "Job") {
    ctx.out.checked++;
    if (!selects(obj.spec.selector, pod.labels))
      ctx.fail(doc, "spec.selector does not select its own pod template");
  }
  const sa = spec.serviceAccountName;
  if (sa && sa !== "default") need(ctx, doc, "ServiceAccount", ns, sa, "serviceAccountName");
  const volumes = new Map((spec.volumes ?? []).map((v) => [v.name, v]));
  for (const claim of obj.spec?.volumeClaimTemplates ?? []) volumes.set(claim.metadata?.name, { pvc: true });
  for (const v of spec.volumes ?? []) {
    if (v.configMap) need(ctx, doc, "ConfigMap", ns, v.configMap.name, `volume ${v.name}`);
    if (v.secret) secretRef(ctx, ns, v.secret.secretName, v.secret.optional);
    if (v.persistentVolumeClaim)
      need(ctx, doc, "PersistentVolumeClaim", ns, v.persistentVolumeClaim.claimName, `volume ${v.name}`);
    if (v.hostPath) ctx.fail(doc, `volume ${v.name} is a hostPath`);
  }
  const names = new Set();
  for (const c of allContainers(spec)) {
    if (names.has(c.name)) ctx.fail(doc, `two containers named ${c.name}`);
    names.add(c.name);
    checkContainer(ctx, doc, ns, c, volumes);
  }
}

function checkContainer(ctx, doc, ns, c, volumes) {
  for (const m of c.volumeMounts ?? []) {
    ctx.out.checked++;
    const v = volumes.get(m.name);
    if (v === undefined) {
      ctx.fail(doc, `container ${c.name} mounts volume ${m.name}, which the pod does not have`);
    } else if (m.subPath && v.configMap) {
      const cm = ctx.index.get("ConfigMap", ns, v.configMap.name);
      if (cm && !Object.hasOwn(cm.obj.data ?? {}, m.subPath)) {
        ctx.fail(
          doc,
          `container ${c.name} mounts key ${m.subPath} of ConfigMap ${v.configMap.name}, which has no such key`,
        );
      }
    }
  }
  for (const from of c.envFrom ?? []) {
    if (from.configMapRef && !from.configMapRef.optional) {
      need(ctx, doc, "ConfigMap", ns, from.configMapRef.name, `container ${c.name} envFrom`);
    }
    if (from.secretRef) secretRef(ctx, ns, from.secretRef.name, from.secretRef.optional);
  }
  const defined = new Set();
  for (const e of c.env ?? []) {
    if (defined.has(e.name)) ctx.fail(doc, `container ${c.name} sets env ${e.name} twice`);
    // $(VAR) expands only for variables defined earlier in the list; otherwise it stays literal.
    for (const [, ref] of String(e.value ?? "").matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)) {
      ctx.out.checked++;
      if (!defined.has(ref))
        ctx.fail(doc, `container ${c.name} env ${e.name} uses $(${ref}) before it is defined`);
    }
    defined.add(e.name);
    const cmKey = e.valueFrom?.configMapKeyRef;
    if (cmKey && !cmKey.optional) {
      const cm = need(ctx, doc, "ConfigMap", ns, cmKey.name, `env ${e.name}`);
      if (cm && !Object.hasOwn(cm.obj.data ?? {}, cmKey.key))
        ctx.fail(doc, `env ${e.name}: ConfigMap ${cmKey.name} has no key ${cmKey.key}`);
    }
    const sKey = e.valueFrom?.secretKeyRef;
    if (sKey) secretRef(ctx, ns, sKey.name, sKey.optional);
  }
  const portNames = new Set((c.ports ?? []).map((p) => p.name).filter(Boolean));
  const portNumbers = new Set((c.ports ?? []).map((p) => p.containerPort));
  for (const kind of ["startupProbe", "readinessProbe", "livenessProbe"]) {
    const probe = c[kind];
    if (!probe) continue;
    const port = probe.grpc?.port ?? probe.httpGet?.port ?? probe.tcpSocket?.port;
    if (port === undefined) continue;
    ctx.out.checked++;
    const ok = typeof port === "string" ? portNames.has(port) : portNumbers.has(port);
    if (!ok)
      ctx.fail(doc, `container ${c.name} ${kind} probes port ${port}, which the container does not declare`);
  }
}

function checkService(ctx, doc, ns) {
  const selector = doc.obj.spec?.selector;
  if (!selector) return;
  ctx.out.checked++;
  const pods = podsIn(ctx.index, ns).filter(({ pod }) => selectsMap(selector, pod.labels));
  if (pods.length === 0) {
    ctx.fail(doc, "selects no pod template");
    return;
  }
  for (const port of doc.obj.spec?.ports ?? []) {
    const target = port.targetPort ?? port.port;
    ctx.out.checked++;
    const found = pods.some(({ pod }) =>
      containerPorts(pod.spec).some((p) =>
        typeof target === "string" ? p.name === target : p.containerPort === target,
      ),
    );
    if (!found)
      ctx.fail(doc, `port ${port.name ?? port.port} targets ${target}, which no selected container declares`);
  }
}

function checkSelectorMatches(ctx, doc, ns, selector, what) {
  ctx.out.checked++;
  const pods = podsIn(ctx.index, ns).filter(({ pod }) => selects(selector, pod.labels));
  if (pods.length === 0) ctx.fail(doc, `${what} selects no pod template`);
  return pods;
}

/** IPv4 "a.b.c.d/n" -> [network, prefix]; undefined for anything else (IPv6 is not checked). */
function ipv4(cidr) {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(String(cidr));
  if (!m) return undefined;
  const ip = m.slice(1, 5).reduce((acc, octet) => acc * 256 + Number(octet), 0);
  return [ip, Number(m[5])];
}

/** The API server rejects an ipBlock whose except entries are not strictly inside its cidr. */
function checkIpBlocks(ctx, doc, peers) {
  for (const block of peers.map((p) => p.ipBlock).filter(Boolean)) {
    const outer = ipv4(block.cidr);
    for (const ex of block.except ?? []) {
      const inner = ipv4(ex);
      if (!outer || !inner) continue;
      ctx.out.checked++;
      const size = 2 ** (32 - outer[1]);
      const inside = inner[1] > outer[1] && Math.floor(inner[0] / size) === Math.floor(outer[0] / size);
      if (!inside) ctx.fail(doc, `ipBlock except ${ex} is not inside ${block.cidr}`);
    }
  }
}

function checkNetworkPolicy(ctx, doc, ns) {
  const spec = doc.obj.spec ?? {};
  for (const rule of spec.egress ?? []) checkIpBlocks(ctx, doc, rule.to ?? []);
  for (const rule of spec.ingress ?? []) checkIpBlocks(ctx, doc, rule.from ?? []);
  // A policy for pods the sandbox driver relabels at runtime selects no template by design.
  const runtime = doc.obj.metadata?.annotations?.["toad.dev/selects-runtime-pods"] !== undefined;
  const pods = runtime ? [] : checkSelectorMatches(ctx, doc, ns, spec.podSelector, "spec.podSelector");
  for (const rule of spec.ingress ?? []) {
    for (const peer of rule.from ?? []) {
      if (peer.podSelector && !peer.namespaceSelector)
        checkSelectorMatches(ctx, doc, ns, peer.podSelector, "an ingress peer");
    }
    for (const port of rule.ports ?? []) {
      if (typeof port.port !== "number" || pods.length === 0) continue;
      ctx.out.checked++;
      if (!pods.some(({ pod }) => containerPorts(pod.spec).some((p) => p.containerPort === port.port))) {
        ctx.fail(doc, `admits port ${port.port}, which no selected container listens on`);
      }
    }
  }
}

const KIND_CHECKS = {
  Service: checkService,
  StatefulSet(ctx, doc, ns) {
    need(ctx, doc, "Service", ns, doc.obj.spec?.serviceName, "spec.serviceName");
  },
  HorizontalPodAutoscaler(ctx, doc, ns) {
    const ref = doc.obj.spec?.scaleTargetRef ?? {};
    const target = need(ctx, doc, ref.kind, ns, ref.name, "scaleTargetRef");
    if (target && target.obj.spec?.replicas !== undefined) {
      ctx.fail(
        doc,
        `${ref.kind} ${ref.name} also sets spec.replicas (each upgrade would reset the autoscaler)`,
      );
    }
  },
  PodDisruptionBudget(ctx, doc, ns) {
    checkSelectorMatches(ctx, doc, ns, doc.obj.spec?.selector, "spec.selector");
  },
  NetworkPolicy: checkNetworkPolicy,
  RoleBinding(ctx, doc, ns) {
    const ref = doc.obj.roleRef ?? {};
    need(ctx, doc, ref.kind, ref.kind === "ClusterRole" ? "" : ns, ref.name, "roleRef");
    for (const s of doc.obj.subjects ?? []) {
      if (s.kind === "ServiceAccount")
        need(ctx, doc, "ServiceAccount", s.namespace ?? ns, s.name, "a subject");
    }
  },
  Ingress(ctx, doc, ns) {
    for (const rule of doc.obj.spec?.rules ?? []) {
      for (const path of rule.http?.paths ?? []) {
        const backend = path.backend?.service;
        if (!backend) continue;
        const svc = need(ctx, doc, "Service", ns, backend.name, "a backend");
        const want = backend.port?.name ?? backend.port?.number;
        if (svc && !(svc.obj.spec?.ports ?? []).some((p) => p.name === want || p.port === want)) {
          ctx.fail(doc, `backend port ${want} is not a port of Service ${backend.name}`);
        }
      }
    }
  },
};
