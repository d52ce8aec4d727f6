// What TOAD requires of its manifests beyond validity: hardened pods with resources and pinned
// images, the services config contract, only the gateway exposed, sandbox job pods cut off.
import { allContainers, nsOf, podTemplate, selects } from "./objects.mjs";

const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16"];
const AUTOSCALED = ["gateway", "session", "router"];

/** @returns {{ errors: string[], checked: number }} */
export function checkPolicies(index, { prod = false } = {}) {
  const out = { errors: [], checked: 0 };
  const ctx = { index, out, fail: (doc, msg) => out.errors.push(`${doc.source}: ${msg}`) };
  for (const doc of index.docs) {
    const pod = podTemplate(doc.obj);
    if (pod !== undefined) {
      checkHardening(ctx, doc, pod);
      const tier = pod.labels["toad.dev/tier"];
      const component = pod.labels["app.kubernetes.io/component"];
      if (doc.obj.kind === "Deployment" && tier === "service") checkServiceContract(ctx, doc, pod, component);
      if (tier === "sandbox-job") checkSandboxIsolation(ctx, doc, pod);
      if (prod) checkProdShape(ctx, doc, pod, tier, component);
    }
    if (doc.obj.kind === "Service") {
      out.checked++;
      const type = doc.obj.spec?.type ?? "ClusterIP";
      const component = doc.obj.spec?.selector?.["app.kubernetes.io/component"];
      if (type !== "ClusterIP" && component !== "gateway")
        ctx.fail(doc, `type ${type}: only the gateway may be exposed`);
    }
    if (doc.obj.kind === "Ingress") {
      out.checked++;
      const backends = (doc.obj.spec?.rules ?? [])
        .flatMap((r) => r.http?.paths ?? [])
        .map((p) => p.backend?.service?.name);
      if (backends.some((b) => !String(b).endsWith("-gateway")))
        ctx.fail(doc, "an Ingress may only route to the gateway");
    }
  }
  return out;
}

function checkHardening(ctx, doc, pod) {
  const { spec } = pod;
  ctx.out.checked++;
  for (const key of ["hostNetwork", "hostPID", "hostIPC"]) if (spec[key]) ctx.fail(doc, `${key} is set`);
  const podSc = spec.securityContext ?? {};
  const writableRoot = pod.annotations["toad.dev/writable-root-fs"] !== undefined;
  for (const c of allContainers(spec)) {
    const sc = c.securityContext ?? {};
    const where = `container ${c.name}`;
    ctx.out.checked += 6;
    if ((sc.runAsNonRoot ?? podSc.runAsNonRoot) !== true)
      ctx.fail(doc, `${where} may run as root (runAsNonRoot)`);
    if ((sc.runAsUser ?? podSc.runAsUser) === 0) ctx.fail(doc, `${where} runs as uid 0`);
    if (sc.allowPrivilegeEscalation !== false) ctx.fail(doc, `${where} allows privilege escalation`);
    if (sc.privileged) ctx.fail(doc, `${where} is privileged`);
    if (!(sc.capabilities?.drop ?? []).includes("ALL"))
      ctx.fail(doc, `${where} does not drop ALL capabilities`);
    if ((sc.seccompProfile ?? podSc.seccompProfile)?.type !== "RuntimeDefault") {
      ctx.fail(doc, `${where} has no RuntimeDefault seccomp profile`);
    }
    if (sc.readOnlyRootFilesystem !== true && !writableRoot) {
      ctx.fail(
        doc,
        `${where} has a writable root filesystem (annotate the pod toad.dev/writable-root-fs with why)`,
      );
    }
    for (const res of ["cpu", "memory"]) {
      ctx.out.checked += 2;
      if (c.resources?.requests?.[res] === undefined) ctx.fail(doc, `${where} requests no ${res}`);
      if (c.resources?.limits?.[res] === undefined) ctx.fail(doc, `${where} has no ${res} limit`);
    }
    ctx.out.checked++;
    const image = String(c.image ?? "");
    const tag = image.includes("@sha256:") ? "digest" : (image.split("/").pop()?.split(":")[1] ?? "");
    if (tag === "" || tag === "latest")
      ctx.fail(doc, `${where} image ${image} is not pinned to a tag or digest`);
  }
}

/** The services config contract: command, ports, env and gRPC health probes. */
function checkServiceContract(ctx, doc, pod, component) {
  const main = pod.spec.containers?.[0];
  if (main === undefined) return;
  const grpc = (main.ports ?? []).find((p) => p.name === "grpc")?.containerPort;
  const metrics = (main.ports ?? []).find((p) => p.name === "metrics")?.containerPort;
  const env = new Map((main.env ?? []).map((e) => [e.name, e]));
  const command = [...(main.command ?? []), ...(main.args ?? [])].join(" ");
  ctx.out.checked += 6;
  if (command !== `node services/${component}/dist/main.js`)
    ctx.fail(doc, `runs "${command}", not node services/${component}/dist/main.js`);
  if (grpc === undefined || env.get("TOAD_GRPC_PORT")?.value !== String(grpc))
    ctx.fail(doc, "TOAD_GRPC_PORT is not the grpc port");
  if (metrics === undefined || env.get("TOAD_METRICS_PORT")?.value !== String(metrics))
    ctx.fail(doc, "TOAD_METRICS_PORT is not the metrics port");
  for (const probe of ["readinessProbe", "livenessProbe"]) {
    if (main[probe]?.grpc?.port !== grpc)
      ctx.fail(doc, `${probe} is not a gRPC health probe on the grpc port`);
  }
  // The service's own drain must end before the kubelet's SIGKILL.
  ctx.out.checked++;
  const drainMs = Number(env.get("TOAD_DRAIN_TIMEOUT_MS")?.value);
  const preStop = main.lifecycle?.preStop?.exec?.command ?? [];
  const sleep = preStop[0] === "sleep" ? Number(preStop[1]) : 0;
  const grace = pod.spec.terminationGracePeriodSeconds ?? 30;
  if (!(drainMs > 0) || drainMs / 1000 + sleep >= grace) {
    ctx.fail(
      doc,
      `TOAD_DRAIN_TIMEOUT_MS (${drainMs} ms) + preStop ${sleep} s does not fit terminationGracePeriodSeconds ${grace}`,
    );
  }
  const automount = pod.spec.automountServiceAccountToken;
  if (component !== "sandbox" && automount !== false)
    ctx.fail(doc, "mounts a service account token it does not need");
  // NATS_URL and REDIS_URL come from the shared ConfigMap, or REDIS_URL from a Secret-backed env.
  const fromConfigMaps = (main.envFrom ?? [])
    .map(
      (f) =>
        f.configMapRef &&
        ctx.index.get("ConfigMap", nsOf(doc.obj, ctx.index.defaultNamespace), f.configMapRef.name),
    )
    .filter(Boolean)
    .flatMap((cm) => Object.keys(cm.obj.data ?? {}));
  for (const name of ["NATS_URL", "REDIS_URL"]) {
    ctx.out.checked++;
    if (!env.has(name) && !fromConfigMaps.includes(name)) ctx.fail(doc, `gets no ${name}`);
  }
}

/** Policies that select a set of labels, split by direction. */
function policiesFor(index, ns, labels, direction) {
  return index
    .ofKind("NetworkPolicy")
    .filter((d) => nsOf(d.obj, index.defaultNamespace) === ns)
    .filter((d) => (d.obj.spec?.policyTypes ?? ["Ingress"]).includes(direction))
    .filter((d) => selects(d.obj.spec?.podSelector, labels));
}

function checkSandboxIsolation(ctx, doc, pod) {
  const ns = nsOf(doc.obj, ctx.index.defaultNamespace);
  ctx.out.checked += 4;
  if (pod.spec.automountServiceAccountToken !== false)
    ctx.fail(doc, "a sandbox job pod must not mount an API token");
  // After the clone the driver relabels the pod "none": then nothing may go in or out.
  const running = { ...pod.labels, "toad.dev/sandbox-egress": "none" };
  for (const [direction, rules] of [
    ["Egress", "egress"],
    ["Ingress", "ingress"],
  ]) {
    const policies = policiesFor(ctx.index, ns, running, direction);
    if (policies.length === 0) ctx.fail(doc, `no NetworkPolicy isolates sandbox job pods (${direction})`);
    const open = policies.filter((p) => (p.obj.spec?.[rules] ?? []).length > 0);
    if (open.length > 0)
      ctx.fail(
        doc,
        `${direction} is open for a running sandbox pod via ${open.map((p) => p.obj.metadata.name)}`,
      );
  }
  // In any phase, egress never reaches cluster-internal or metadata ranges.
  for (const phase of ["clone", "open"]) {
    const labels = { ...pod.labels, "toad.dev/sandbox-egress": phase };
    for (const p of policiesFor(ctx.index, ns, labels, "Egress")) {
      for (const rule of p.obj.spec?.egress ?? []) {
        ctx.out.checked++;
        if ((rule.to ?? []).length === 0)
          ctx.fail(doc, `${p.obj.metadata.name} allows egress to anywhere in phase ${phase}`);
        for (const peer of rule.to ?? []) {
          const block = peer.ipBlock;
          if (block?.cidr === "0.0.0.0/0" && !PRIVATE_RANGES.every((r) => (block.except ?? []).includes(r))) {
            ctx.fail(doc, `${p.obj.metadata.name} lets phase ${phase} reach private or metadata ranges`);
          }
        }
      }
    }
  }
}

/** The production shape: PDBs, HPAs for the streaming front, ingress policies everywhere. */
function checkProdShape(ctx, doc, pod, tier, component) {
  if (doc.obj.kind !== "Deployment" && doc.obj.kind !== "StatefulSet") return;
  const ns = nsOf(doc.obj, ctx.index.defaultNamespace);
  ctx.out.checked++;
  if (policiesFor(ctx.index, ns, pod.labels, "Ingress").length === 0)
    ctx.fail(doc, "no NetworkPolicy restricts its ingress");
  if (tier !== "service") return;
  ctx.out.checked += 2;
  const pdbs = ctx.index
    .ofKind("PodDisruptionBudget")
    .filter((p) => selects(p.obj.spec?.selector, pod.labels));
  if (pdbs.length === 0) ctx.fail(doc, "no PodDisruptionBudget");
  if (AUTOSCALED.includes(component)) {
    const hpa = ctx.index
      .ofKind("HorizontalPodAutoscaler")
      .find((h) => h.obj.spec?.scaleTargetRef?.name === doc.obj.metadata?.name);
    if (hpa === undefined) ctx.fail(doc, "no HorizontalPodAutoscaler");
  }
}
