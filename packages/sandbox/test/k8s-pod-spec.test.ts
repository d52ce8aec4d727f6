import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { V1Container, V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import {
  buildSandboxPod,
  kubernetesSandboxConfigFromEnv,
  LABELS,
  loadPodTemplate,
  SandboxConfigError,
  type SandboxJob,
} from "../src/index.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
/** The chart's pod template as rendered into k8s/ (what TOAD_SANDBOX_POD_TEMPLATE points at in a cluster). */
const CHART_TEMPLATE = path.join(repoRoot, "k8s/sandbox-pod.yaml");

const job: SandboxJob = {
  workspaceId: "ws_0f6c1f3e-8a3e-4f55-9d0b-5b2a1e0c7d11",
  gitUrl: "https://git.example/acme/app.git",
  commit: "3f786850e387550fdab836ed7e6dc881de23001b",
  now: new Date("2026-11-25T10:00:00Z"),
};
const config = kubernetesSandboxConfigFromEnv({
  TOAD_SANDBOX_NAMESPACE: "toad-sandboxes",
  TOAD_SANDBOX_IMAGE: "toad:0.1.0",
  TOAD_SANDBOX_TTL_SECONDS: "900",
  TOAD_SANDBOX_CPU_LIMIT: "1500m",
  TOAD_SANDBOX_MEMORY_LIMIT: "3Gi",
});

const containers = (pod: V1Pod): V1Container[] => [
  ...(pod.spec?.initContainers ?? []),
  ...(pod.spec?.containers ?? []),
];
const named = (pod: V1Pod, name: string) => containers(pod).find((c) => c.name === name);
const envOf = (c: V1Container | undefined) =>
  Object.fromEntries((c?.env ?? []).map((e) => [e.name, e.value]));

interface ValidationResult {
  label: string;
  errors: string[];
  policyChecks: number;
}
type ValidateSets = (
  root: string,
  sets: {
    label: string;
    docs: unknown[];
    loadErrors: string[];
    namespace: string;
    selfContained?: boolean;
  }[],
) => Promise<ValidationResult[]>;
type LoadFile = (
  file: string,
  label?: string,
) => { docs: { obj: Record<string, unknown> }[]; errors: string[] };

/**
 * The validator scripts/validate-deploy.sh runs on every rendered manifest:
 * the Kubernetes API schemas (kubernetes-models), unknown fields, references
 * within the set, and TOAD's policies (hardening; no NetworkPolicy may let a
 * running sandbox pod talk to anything).
 */
async function validateWithDeployment(pods: V1Pod[]): Promise<ValidationResult> {
  const lib = (file: string) => pathToFileURL(path.join(repoRoot, "scripts/deploy/lib", file)).href;
  const { validateSets } = (await import(lib("validate.mjs"))) as { validateSets: ValidateSets };
  const { loadFile } = (await import(lib("load.mjs"))) as { loadFile: LoadFile };
  // The plain manifests hold the namespace, service accounts and NetworkPolicies the pods need;
  // their ConfigMap's embedded pod template is left out (it is the template, not a built pod).
  const release = loadFile(path.join(repoRoot, "k8s/toad.yaml"), "k8s/toad.yaml").docs.filter(
    (doc) => doc.obj.kind !== "Pod",
  );
  const namespaces = loadFile(path.join(repoRoot, "k8s/namespace.yaml"), "k8s/namespace.yaml").docs;
  const built = pods.map((obj, i) => ({ obj, source: `built pod #${i + 1}` }));
  const [result] = await validateSets(repoRoot, [
    { label: "built", docs: [...namespaces, ...release, ...built], loadErrors: [], namespace: "toad" },
  ]);
  if (!result) throw new Error("the validator returned no result");
  return result;
}

describe("buildSandboxPod", () => {
  it("labels the pod for the chart's NetworkPolicies and stamps an expiry", () => {
    const pod = buildSandboxPod(job, config);
    expect(pod.metadata?.namespace).toBe("toad-sandboxes");
    expect(pod.metadata?.labels).toMatchObject({
      [LABELS.tier]: "sandbox-job",
      [LABELS.instance]: "toad",
      [LABELS.egress]: "clone",
      [LABELS.workspace]: job.workspaceId,
    });
    expect(pod.metadata?.annotations?.["toad.dev/expires-at"]).toBe("2026-11-25T10:15:00.000Z");
  });

  it("clones the commit in an init container into the emptyDir workspace", () => {
    const pod = buildSandboxPod(job, config);
    const clone = named(pod, "clone");
    expect(clone?.image).toBe("toad:0.1.0");
    expect(envOf(clone)).toMatchObject({
      TOAD_GIT_URL: job.gitUrl,
      TOAD_GIT_COMMIT: job.commit,
      TOAD_WORKSPACE: "/workspace/repo",
    });
    expect(clone?.args?.join("\n")).toContain('git fetch -q --depth 1 origin "$TOAD_GIT_COMMIT"');
    expect(pod.spec?.volumes?.find((v) => v.name === "workspace")?.emptyDir).toBeDefined();
    expect(named(pod, "workspace")?.workingDir).toBe("/workspace/repo");
    const noCommit = buildSandboxPod({ ...job, commit: "" }, config);
    expect(envOf(named(noCommit, "clone")).TOAD_GIT_COMMIT).toBe("HEAD");
  });

  it("hardens every container and the pod: non-root, no escalation, read-only root, no token", () => {
    const pod = buildSandboxPod(job, config);
    expect(pod.spec).toMatchObject({
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      restartPolicy: "Never",
      securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
    });
    for (const c of containers(pod)) {
      expect(c.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ["ALL"] },
      });
    }
  });

  it("takes CPU and memory limits from config, lowered but never raised by the job", () => {
    const limits = (pod: V1Pod) => named(pod, "workspace")?.resources?.limits;
    expect(limits(buildSandboxPod(job, config))).toMatchObject({ cpu: "1500m", memory: "3Gi" });
    const lower = buildSandboxPod({ ...job, limits: { cpuMillis: 250, memoryBytes: 512 * 2 ** 20 } }, config);
    expect(limits(lower)).toMatchObject({ cpu: "250m", memory: String(512 * 2 ** 20) });
    // A request never exceeds its limit (the default requests are 500m and 1Gi).
    expect(named(lower, "workspace")?.resources?.requests).toMatchObject({
      cpu: "250m",
      memory: String(512 * 2 ** 20),
    });
    const higher = buildSandboxPod(
      { ...job, limits: { cpuMillis: 8000, memoryBytes: 64 * 2 ** 30 } },
      config,
    );
    expect(limits(higher)).toMatchObject({ cpu: "1500m", memory: "3Gi" });
  });

  it("caps activeDeadlineSeconds by config and by the job's timeout", () => {
    expect(buildSandboxPod(job, config).spec?.activeDeadlineSeconds).toBe(7200);
    expect(
      buildSandboxPod({ ...job, limits: { timeoutSeconds: 600 } }, config).spec?.activeDeadlineSeconds,
    ).toBe(600);
    const capped = kubernetesSandboxConfigFromEnv({
      TOAD_SANDBOX_IMAGE: "x:1",
      TOAD_SANDBOX_ACTIVE_DEADLINE_SECONDS: "1800",
    });
    expect(buildSandboxPod(job, capped).spec?.activeDeadlineSeconds).toBe(1800);
  });

  it("merges the chart's template: its service account, volumes and image; the job's own fields on top", async () => {
    const template = await loadPodTemplate(CHART_TEMPLATE);
    const noImage = kubernetesSandboxConfigFromEnv({
      TOAD_SANDBOX_NAMESPACE: "toad-sandboxes",
      TOAD_SANDBOX_POD_TEMPLATE: CHART_TEMPLATE,
    });
    const pod = buildSandboxPod(job, noImage, template);
    expect(pod.spec?.serviceAccountName).toBe("toad-sandbox-job");
    expect(named(pod, "workspace")?.image).toBe(template.spec?.containers[0]?.image);
    expect(named(pod, "workspace")?.resources?.limits).toMatchObject({
      cpu: "2",
      memory: "4Gi",
      "ephemeral-storage": "12Gi",
    });
    expect(pod.metadata?.labels?.[LABELS.workspace]).toBe(job.workspaceId);
    expect(envOf(named(pod, "clone")).TOAD_GIT_URL).toBe(job.gitUrl);
    expect((named(pod, "clone")?.env ?? []).filter((e) => e.name === "TOAD_GIT_URL")).toHaveLength(1);
    // TOAD_SANDBOX_IMAGE is the workspace's toolchain; the clone keeps the template's git image.
    const toolchain = buildSandboxPod(job, { ...noImage, image: "acme/toolchain:1" }, template);
    expect(named(toolchain, "workspace")?.image).toBe("acme/toolchain:1");
    expect(named(toolchain, "clone")?.image).toBe(template.spec?.initContainers?.[0]?.image);
  });

  it("refuses a template that asks for privileges, naming them", () => {
    const unsafe: V1Pod = {
      spec: {
        hostNetwork: true,
        automountServiceAccountToken: true,
        containers: [{ name: "workspace", securityContext: { privileged: true, runAsUser: 0 } }],
      },
    };
    expect(() => buildSandboxPod(job, config, unsafe)).toThrow(SandboxConfigError);
    expect(() => buildSandboxPod(job, config, unsafe)).toThrow(
      /spec\.hostNetwork.*automountServiceAccountToken.*workspace: privileged.*workspace: runs as root/,
    );
  });

  it("reads bad settings as clear errors naming the variable", async () => {
    expect(() =>
      kubernetesSandboxConfigFromEnv({ TOAD_SANDBOX_IMAGE: "x:1", TOAD_SANDBOX_TTL_SECONDS: "soon" }),
    ).toThrow(/TOAD_SANDBOX_TTL_SECONDS must be a whole number/);
    expect(() =>
      kubernetesSandboxConfigFromEnv({ TOAD_SANDBOX_IMAGE: "x:1", TOAD_SANDBOX_MEMORY_LIMIT: "lots" }),
    ).toThrow(/TOAD_SANDBOX_MEMORY_LIMIT must be a Kubernetes quantity/);
    expect(() => kubernetesSandboxConfigFromEnv({})).toThrow(/needs an image/);
    expect(() =>
      kubernetesSandboxConfigFromEnv({ TOAD_SANDBOX_IMAGE: "x:1", TOAD_SANDBOX_NAMESPACE: "Bad_NS" }),
    ).toThrow(/not a valid namespace/);
    await expect(loadPodTemplate("/nonexistent/pod.yaml")).rejects.toThrow(/cannot read it/);
    await expect(loadPodTemplate(path.join(repoRoot, "package.json"))).rejects.toThrow(
      /expected apiVersion v1, kind Pod/,
    );
  });

  it("passes the deployment validator: Kubernetes schemas, unknown fields, hardening and sandbox isolation", async () => {
    const template = await loadPodTemplate(CHART_TEMPLATE);
    const fromTemplate = buildSandboxPod(job, config, template);
    const withoutTemplate = buildSandboxPod(job, config);
    const result = await validateWithDeployment([fromTemplate, withoutTemplate]);
    expect(result.errors).toEqual([]);
    expect(result.policyChecks).toBeGreaterThan(0);
  });

  it("and the validator does catch a pod that breaks the rules (so the check above can fail)", async () => {
    const pod = buildSandboxPod(job, config);
    const broken = structuredClone(pod);
    (broken.spec as { automountServiceAccountToken?: boolean }).automountServiceAccountToken = true;
    (broken.spec?.containers[0] as { securityContext?: object }).securityContext = {};
    (broken.spec?.containers[0] as unknown as Record<string, unknown>).bogusField = 1;
    const result = await validateWithDeployment([broken]);
    expect(result.errors.join("\n")).toMatch(/must not mount an API token/);
    expect(result.errors.join("\n")).toMatch(/allows privilege escalation/);
    expect(result.errors.join("\n")).toMatch(/unknown field/);
  });
});

// A stray reference to the template file keeps this test honest if the chart stops rendering it.
it("the chart's rendered pod template exists", async () => {
  expect(await readFile(CHART_TEMPLATE, "utf8")).toContain("kind: Pod");
});
