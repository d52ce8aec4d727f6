// The source of charts/toad/values.schema.json (helm lint, install and template enforce it).
// Helpers keep the schema readable; validate-deploy.sh fails when the JSON is stale.
//   node scripts/deploy/values-schema.mjs --write   regenerate the JSON
//   node scripts/deploy/values-schema.mjs --check   exit 1 if the JSON differs
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import {
  bool,
  commonKeys,
  definitions,
  external,
  int,
  jobs,
  obj,
  ref,
  service,
  str,
} from "./lib/values-schema-parts.mjs";

const schema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "Values of the TOAD chart",
  type: "object",
  additionalProperties: false,
  required: ["image", "services", "nats", "redis"],
  definitions,
  properties: {
    nameOverride: str("Overrides the chart name in resource names."),
    fullnameOverride: str("Overrides the resource name prefix.", { maxLength: 40 }),
    image: obj(
      {
        repository: str("The one TOAD image.", { minLength: 1 }),
        tag: str("Defaults to the chart appVersion.", { not: { const: "latest" } }),
        digest: str("sha256:... ; wins over tag.", { pattern: "^(sha256:[0-9a-f]{64})?$" }),
        pullPolicy: ref("pullPolicy"),
      },
      ["repository"],
    ),
    imagePullSecrets: { type: "array", items: obj({ name: str("", { minLength: 1 }) }, ["name"]) },
    commonLabels: { type: "object", additionalProperties: { type: "string" } },
    env: {
      type: "object",
      description: "Extra plain env for every service.",
      propertyNames: { pattern: "^[A-Za-z_][A-Za-z0-9_]*$" },
      additionalProperties: { type: ["string", "number", "boolean"] },
    },
    secrets: obj({
      create: bool("Render a Secret from secrets.env."),
      env: {
        type: "object",
        propertyNames: { pattern: "^[A-Za-z_][A-Za-z0-9_]*$" },
        additionalProperties: { type: "string" },
      },
      existingSecret: str("A Secret you manage, loaded as env (optional at runtime)."),
    }),
    llm: obj({
      config: {
        type: "object",
        description: "packages/llm config (providers, models, tiers, routing, retry...).",
      },
    }),
    otel: obj({ endpoint: str("OTEL_EXPORTER_OTLP_ENDPOINT; empty = not exported.") }),
    serviceDefaults: {
      allOf: [ref("serviceCommon")],
      properties: Object.fromEntries(commonKeys.map((k) => [k, true])),
      additionalProperties: false,
    },
    services: obj(
      {
        gateway: service("gateway", 50051, {
          service: obj({
            type: { type: "string", enum: ["ClusterIP", "LoadBalancer", "NodePort"] },
            annotations: { type: "object", additionalProperties: { type: "string" } },
          }),
        }),
        session: service("session", 50052),
        router: service("router", 50053),
        context: service("context", 50054),
        indexer: service("indexer", 50055),
        sandbox: service("sandbox", 50056, { jobs }),
      },
      ["gateway", "session", "router", "context", "indexer", "sandbox"],
    ),
    nats: obj(
      {
        enabled: bool("Run NATS from this chart (else external.url)."),
        image: ref("dataImage"),
        replicas: {
          type: "integer",
          description: "1, or 3+ for a JetStream cluster.",
          not: { const: 2 },
          minimum: 1,
        },
        jetstream: obj(
          {
            storage: ref("persistence"),
            maxFileStore: str("NATS size (K, M, G, T).", { pattern: "^[0-9]+[KMGT]B?$" }),
            maxMemoryStore: str("NATS size (K, M, G, T).", { pattern: "^[0-9]+[KMGT]B?$" }),
            syncInterval: str('"" (server default 2m), a duration like 10s, or "always".', {
              pattern: "^(|always|[0-9]+(ms|s|m|h))$",
            }),
          },
          ["storage"],
        ),
        resources: ref("resources"),
        external: external("url", "NATS_URL of a JetStream-enabled NATS."),
      },
      ["enabled"],
    ),
    redis: obj(
      {
        enabled: bool("Run Redis from this chart (else external)."),
        image: ref("dataImage"),
        appendfsync: {
          type: "string",
          enum: ["always", "everysec"],
          description: "AOF fsync policy; always = no acknowledged write lost.",
        },
        maxmemory: str("e.g. 1gb; empty = no limit (policy is noeviction).", {
          pattern: "^([0-9]+(b|kb|mb|gb|k|m|g))?$",
        }),
        persistence: ref("persistence"),
        auth: obj({
          existingSecret: str("Secret holding the password; empty = no auth."),
          key: str("", { minLength: 1 }),
        }),
        resources: ref("resources"),
        external: obj({
          url: str("REDIS_URL."),
          secretName: str("Secret holding REDIS_URL."),
          secretKey: str(""),
        }),
      },
      ["enabled"],
    ),
    qdrant: obj(
      {
        enabled: bool("Run Qdrant from this chart (else external.url, or none)."),
        image: ref("dataImage"),
        persistence: ref("persistence"),
        resources: ref("resources"),
        external: external("url", "QDRANT_URL (http://host:6333)."),
      },
      ["enabled"],
    ),
    falkordb: obj(
      {
        enabled: bool("Run FalkorDB from this chart (else external.url, or none)."),
        image: ref("dataImage"),
        persistence: ref("persistence"),
        appendfsync: { type: "string", enum: ["always", "everysec"] },
        resources: ref("resources"),
        external: external("url", "FALKORDB_URL (redis://host:6379)."),
      },
      ["enabled"],
    ),
    vllm: obj(
      {
        enabled: bool("Run vLLM on a GPU node."),
        image: ref("dataImage"),
        model: str("Hugging Face model id.", { minLength: 1 }),
        servedModelName: str("Model id TOAD uses; defaults to model."),
        maxModelLen: int("", 256),
        maxOutputTokens: int("", 1),
        tier: { type: "string", enum: ["", "fast", "standard", "premium", "reasoning"] },
        gpuMemoryUtilization: { type: "number", exclusiveMinimum: 0, maximum: 1 },
        extraArgs: { type: "array", items: { type: "string" } },
        gpu: obj({ resourceName: str("", { minLength: 1 }), count: int("", 1) }, ["resourceName", "count"]),
        hfTokenSecret: str("Secret with key token, for gated models."),
        shmSize: ref("quantity"),
        persistence: obj({
          enabled: bool("Keep downloaded weights on a PVC."),
          size: ref("quantity"),
          storageClassName: { type: "string" },
        }),
        resources: ref("resources"),
        nodeSelector: { type: "object", additionalProperties: { type: "string" } },
        tolerations: { type: "array", items: { type: "object" } },
        external: obj({ baseUrl: str("Base URL of your own vLLM (http://host:8000/v1).") }),
      },
      ["enabled"],
    ),
    ingress: obj({
      enabled: bool("Render an Ingress for the gateway (gRPC)."),
      className: str("IngressClass."),
      host: str("", { minLength: 1 }),
      annotations: { type: "object", additionalProperties: { type: "string" } },
      tlsSecretName: str("TLS Secret for host; empty = no TLS."),
    }),
    networkPolicy: obj({
      enabled: bool(
        "Ingress policies for services and data services (sandbox job policies are always rendered).",
      ),
      gatewayFrom: ref("networkPolicyPeers"),
      metricsFrom: ref("networkPolicyPeers"),
      dns: obj(
        {
          namespace: str("", { minLength: 1 }),
          podLabels: { type: "object", minProperties: 1, additionalProperties: { type: "string" } },
        },
        ["namespace", "podLabels"],
      ),
    }),
    serviceAccount: obj({ annotations: { type: "object", additionalProperties: { type: "string" } } }),
    batchWorker: obj({
      render: bool("Render the batch-worker Job (for helm template | kubectl create only)."),
      parallelism: int("", 1),
      backoffLimit: int("", 0),
      activeDeadlineSeconds: int("", 60),
      ttlSecondsAfterFinished: int("", 0),
      resources: ref("resources"),
    }),
  },
};
const target = join(dirname(fileURLToPath(import.meta.url)), "../../charts/toad/values.schema.json");
const text = `${JSON.stringify(schema, null, 2)}\n`;
if (process.argv.includes("--write")) {
  writeFileSync(target, text);
  console.log("values-schema: wrote charts/toad/values.schema.json");
} else if (readFileSync(target, "utf8") !== text) {
  console.error(
    "values-schema: charts/toad/values.schema.json is stale; run node scripts/deploy/values-schema.mjs --write",
  );
  process.exit(1);
} else {
  console.log("values-schema: charts/toad/values.schema.json is up to date");
}
