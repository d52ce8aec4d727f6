// Building blocks of the chart's values schema: JSON Schema helpers, shared definitions,
// the per-service block and the sandbox jobs block (used by scripts/deploy/values-schema.mjs).
export const str = (description, extra = {}) => ({
  type: "string",
  ...(description ? { description } : {}),
  ...extra,
});
export const bool = (description) => ({ type: "boolean", description });
export const int = (description, min = 0, extra = {}) => ({
  type: "integer",
  minimum: min,
  ...(description ? { description } : {}),
  ...extra,
});
export const obj = (properties, required = [], description) => ({
  type: "object",
  ...(description ? { description } : {}),
  additionalProperties: false,
  ...(required.length ? { required } : {}),
  properties,
});
export const ref = (name) => ({ $ref: `#/definitions/${name}` });
export const port = (description) => int(description, 1, { maximum: 65535 });

export const definitions = {
  quantity: {
    description: "A Kubernetes quantity (250m, 1, 512Mi, 2Gi).",
    oneOf: [
      {
        type: "string",
        pattern: "^[+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+|[numkMGTPE]|[KMGTPE]i)?$",
      },
      { type: "number", minimum: 0 },
    ],
  },
  resourceList: { type: "object", additionalProperties: ref("quantity") },
  resources: obj(
    { requests: ref("resourceList"), limits: ref("resourceList") },
    ["requests", "limits"],
    "Container resources; both requests and limits are required.",
  ),
  dataImage: obj(
    {
      repository: str("", { minLength: 1 }),
      tag: str("Pinned tag (never latest).", { minLength: 1, not: { const: "latest" } }),
      pullPolicy: ref("pullPolicy"),
    },
    ["repository", "tag"],
  ),
  pullPolicy: { type: "string", enum: ["Always", "IfNotPresent", "Never"] },
  persistence: obj({ size: ref("quantity"), storageClassName: str("Empty = the cluster's default class.") }, [
    "size",
  ]),
  probe: obj({
    periodSeconds: int("", 1),
    failureThreshold: int("", 1),
    timeoutSeconds: int("", 1),
    initialDelaySeconds: int("", 0),
    successThreshold: int("", 1),
  }),
  envVarList: {
    type: "array",
    description: "Kubernetes EnvVar entries.",
    items: {
      type: "object",
      required: ["name"],
      properties: { name: str("", { pattern: "^[A-Za-z_][A-Za-z0-9_]*$" }) },
    },
  },
  networkPolicyPeers: {
    type: "array",
    description: "NetworkPolicy peers (podSelector, namespaceSelector, ipBlock).",
    items: { type: "object" },
  },
  autoscaling: obj(
    {
      enabled: bool("Render a HorizontalPodAutoscaler (replicas is then left to it)."),
      minReplicas: int("", 1),
      maxReplicas: int("", 1),
      targetCPUUtilizationPercentage: int("", 1, { maximum: 100 }),
      targetMemoryUtilizationPercentage: int("", 1, { maximum: 100 }),
    },
    ["enabled"],
  ),
  pdb: {
    type: "object",
    additionalProperties: false,
    required: ["enabled"],
    properties: {
      enabled: bool("Render a PodDisruptionBudget."),
      maxUnavailable: { oneOf: [int("", 1), str("", { pattern: "^[0-9]+%$" })] },
      minAvailable: { oneOf: [int("", 0), str("", { pattern: "^[0-9]+%$" })] },
    },
  },
  serviceCommon: {
    description: "Settings shared by serviceDefaults and each services.<name> block.",
    type: "object",
    properties: {
      metricsPort: port("TOAD_METRICS_PORT, serving /metrics."),
      terminationGracePeriodSeconds: int("Seconds to drain after SIGTERM.", 1),
      preStopSleepSeconds: int("Seconds to keep serving while endpoints drop the pod (0 = none).", 0),
      podSecurityContext: { type: "object" },
      securityContext: { type: "object" },
      probes: obj({ startup: ref("probe"), readiness: ref("probe"), liveness: ref("probe") }),
      spreadAcrossNodes: bool("Spread replicas over nodes (ScheduleAnyway)."),
      nodeSelector: { type: "object", additionalProperties: { type: "string" } },
      tolerations: { type: "array", items: { type: "object" } },
      affinity: { type: "object" },
      podAnnotations: { type: "object", additionalProperties: { type: "string" } },
      podLabels: { type: "object", additionalProperties: { type: "string" } },
    },
  },
};

export const commonKeys = Object.keys(definitions.serviceCommon.properties);
export const service = (name, defaultPort, extra = {}) => ({
  description: `The ${name} service (node services/${name}/dist/main.js).`,
  type: "object",
  required: ["enabled", "grpcPort", "replicas", "resources"],
  allOf: [ref("serviceCommon")],
  properties: {
    ...Object.fromEntries(commonKeys.map((k) => [k, true])),
    enabled: bool(`Run the ${name} service.`),
    grpcPort: port(`TOAD_GRPC_PORT (default ${defaultPort}); gRPC health answers here too.`),
    replicas: int("Replicas when autoscaling is off.", 1),
    resources: ref("resources"),
    autoscaling: ref("autoscaling"),
    pdb: ref("pdb"),
    extraEnv: ref("envVarList"),
    ...extra,
  },
  additionalProperties: false,
});

export const jobs = obj(
  {
    namespace: str("Namespace of job pods; empty = the release namespace.", {
      pattern: "^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$",
      maxLength: 63,
    }),
    createNamespace: bool("Render the jobs Namespace (restricted pod security)."),
    image: obj({
      repository: str("Empty = the TOAD image."),
      tag: str("Required with a custom repository.", { not: { const: "latest" } }),
    }),
    command: { type: "array", items: { type: "string" } },
    args: { type: "array", items: { type: "string" } },
    resources: ref("resources"),
    workspaceSizeLimit: ref("quantity"),
    activeDeadlineSeconds: int("", 60),
    ttlSecondsAfterFinished: int("", 0),
    runtimeClassName: str("RuntimeClass (gvisor, kata); empty = default."),
    egress: obj(
      {
        blockedCidrs: {
          type: "array",
          minItems: 1,
          items: str("", { pattern: "^[0-9a-fA-F:.]+/[0-9]+$" }),
          description: "Never reachable from a sandbox (excepted from 0.0.0.0/0 rules).",
        },
        clone: obj(
          {
            cidrs: { type: "array", minItems: 1, items: str("", { pattern: "^[0-9a-fA-F:.]+/[0-9]+$" }) },
            ports: { type: "array", minItems: 1, items: port("") },
          },
          ["cidrs", "ports"],
          "Egress of the clone phase only.",
        ),
      },
      ["blockedCidrs", "clone"],
    ),
    quota: {
      type: "object",
      additionalProperties: ref("quantity"),
      description: "ResourceQuota hard limits of a separate jobs namespace.",
    },
  },
  ["resources", "activeDeadlineSeconds"],
);

export const external = (key, description) => obj({ [key]: str(description) });
