// Proves the validator is not vacuous: a small good release passes, and each broken variant
// of it is caught with the expected message.
import { validateSets } from "./validate.mjs";

const labels = {
  "app.kubernetes.io/name": "toad",
  "app.kubernetes.io/instance": "t",
  "app.kubernetes.io/component": "gateway",
};
const secure = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ["ALL"] },
};
const resources = { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "1", memory: "256Mi" } };

function base() {
  const meta = (name) => ({ name, namespace: "t", labels });
  return structuredClone([
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: meta("t-env"),
      data: { NATS_URL: "nats://n:4222", REDIS_URL: "redis://r:6379", "config.json": "{}" },
    },
    {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: meta("t-services"),
      automountServiceAccountToken: false,
    },
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: meta("t-gateway"),
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels: { ...labels, "toad.dev/tier": "service" } },
          spec: {
            serviceAccountName: "t-services",
            automountServiceAccountToken: false,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 1000,
              seccompProfile: { type: "RuntimeDefault" },
            },
            containers: [
              {
                name: "gateway",
                image: "toad:1.0.0",
                args: ["node", "services/gateway/dist/main.js"],
                ports: [
                  { name: "grpc", containerPort: 50051 },
                  { name: "metrics", containerPort: 9464 },
                ],
                env: [
                  { name: "TOAD_GRPC_PORT", value: "50051" },
                  { name: "TOAD_METRICS_PORT", value: "9464" },
                  { name: "TOAD_DRAIN_TIMEOUT_MS", value: "20000" },
                ],
                envFrom: [{ configMapRef: { name: "t-env" } }],
                readinessProbe: { grpc: { port: 50051 } },
                livenessProbe: { grpc: { port: 50051 } },
                resources,
                securityContext: secure,
                volumeMounts: [{ name: "cfg", mountPath: "/etc/toad/config.json", subPath: "config.json" }],
              },
            ],
            volumes: [{ name: "cfg", configMap: { name: "t-env" } }],
          },
        },
      },
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: meta("t-gateway"),
      spec: { selector: labels, ports: [{ name: "grpc", port: 50051, targetPort: "grpc" }] },
    },
  ]);
}

const deployment = (docs) => docs[2];
const container = (docs) => deployment(docs).spec.template.spec.containers[0];

/** [what, expected message fragment, mutation of a fresh base()] */
const CASES = [
  [
    "a misspelt field",
    "unknown field /spec/template/spec/containers/0/readinesProbe",
    (d) => {
      container(d).readinesProbe = container(d).readinessProbe;
    },
  ],
  [
    "a wrong type",
    "schema:",
    (d) => {
      container(d).ports[0].containerPort = "fifty";
    },
  ],
  [
    "an unknown kind",
    "unknown kind",
    (d) => {
      d.push({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w", namespace: "t" } });
    },
  ],
  [
    "a Service selecting nothing",
    "selects no pod template",
    (d) => {
      d[3].spec.selector = { "app.kubernetes.io/component": "nobody" };
    },
  ],
  [
    "a missing ConfigMap",
    "which is not rendered",
    (d) => {
      container(d).envFrom = [{ configMapRef: { name: "t-missing" } }];
    },
  ],
  [
    "a probe on an undeclared port",
    "does not declare",
    (d) => {
      container(d).livenessProbe = { grpc: { port: 50099 } };
    },
  ],
  [
    "a container that may run as root",
    "may run as root",
    (d) => {
      delete container(d).securityContext.runAsNonRoot;
      deployment(d).spec.template.spec.securityContext.runAsNonRoot = false;
    },
  ],
  [
    "an unpinned image",
    "not pinned",
    (d) => {
      container(d).image = "toad:latest";
    },
  ],
  [
    "a service off the contract",
    "TOAD_GRPC_PORT is not the grpc port",
    (d) => {
      container(d).env[0].value = "50052";
    },
  ],
  [
    "a drain longer than the grace period",
    "does not fit terminationGracePeriodSeconds",
    (d) => {
      container(d).env[2].value = "45000";
    },
  ],
  [
    "an exposed internal service",
    "only the gateway",
    (d) => {
      d[3].spec.selector = { ...labels, "app.kubernetes.io/component": "session" };
      d[3].spec.type = "LoadBalancer";
    },
  ],
  [
    "an env reference used before definition",
    "before it is defined",
    (d) => {
      container(d).env.push({ name: "REDIS_URL", value: "redis://:$(REDIS_PASSWORD)@r:6379" });
    },
  ],
  [
    "an autoscaled Deployment with replicas",
    "also sets spec.replicas",
    (d) => {
      d.push({
        apiVersion: "autoscaling/v2",
        kind: "HorizontalPodAutoscaler",
        metadata: { name: "t-gateway", namespace: "t" },
        spec: {
          scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "t-gateway" },
          minReplicas: 1,
          maxReplicas: 2,
        },
      });
    },
  ],
  [
    "a mount of a missing ConfigMap key",
    "has no such key",
    (d) => {
      container(d).volumeMounts[0].subPath = "other.json";
    },
  ],
  [
    "a duplicated object",
    "duplicates",
    (d) => {
      d.push(structuredClone(d[3]));
    },
  ],
  [
    "a sandbox pod with no isolating policy",
    "no NetworkPolicy isolates",
    (d) => {
      const pod = structuredClone(deployment(d).spec.template);
      pod.metadata.labels = { "app.kubernetes.io/instance": "t", "toad.dev/tier": "sandbox-job" };
      pod.spec.automountServiceAccountToken = false;
      delete pod.spec.containers[0].readinessProbe;
      d.push({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { generateName: "t-sandbox-", namespace: "t", labels: pod.metadata.labels },
        spec: pod.spec,
      });
    },
  ],
  [
    "an ipBlock except outside its cidr",
    "is not inside",
    (d) => {
      d.push({
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: "t-egress", namespace: "t" },
        spec: {
          podSelector: { matchLabels: labels },
          policyTypes: ["Egress"],
          egress: [{ to: [{ ipBlock: { cidr: "140.82.112.0/20", except: ["10.0.0.0/8"] } }] }],
        },
      });
    },
  ],
];

export async function selfTest(root) {
  const sets = [{ label: "good", docs: base() }];
  for (const [what, , mutate] of CASES) {
    const docs = base();
    mutate(docs);
    sets.push({ label: what, docs });
  }
  const prepared = sets.map((s) => ({
    ...s,
    docs: s.docs.map((obj, i) => ({ obj, source: `${s.label}#${i + 1}` })),
    loadErrors: [],
    namespace: "t",
  }));
  const results = await validateSets(root, prepared);
  const failed = [];
  const [good, ...bad] = results;
  if (good === undefined || good.errors.length > 0)
    failed.push(`the good release has errors: ${good?.errors.join("; ")}`);
  bad.forEach((r, i) => {
    const [what, expected] = CASES[i];
    if (!r.errors.some((e) => e.includes(expected))) {
      failed.push(`${what} was not caught as "${expected}" (got: ${r.errors.join("; ") || "no error"})`);
    }
  });
  return { passed: bad.length - failed.length, failed };
}
