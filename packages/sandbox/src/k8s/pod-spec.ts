import path from "node:path";
import type { V1Container, V1Pod, V1SecurityContext } from "@kubernetes/client-node";
import { type KubernetesSandboxConfig, SandboxConfigError } from "./config.js";
import { mergeManifest } from "./merge.js";
import { parseQuantity, smallerQuantity } from "./quantity.js";

/**
 * Labels the chart's NetworkPolicies select on (charts/toad/templates/sandbox-networkpolicy.yaml):
 * every pod with `toad.dev/tier=sandbox-job` and the release's instance label gets no traffic
 * at all; `clone` opens the git ports while the init container fetches; `open` opens egress
 * (minus cluster and metadata ranges) for a workspace created with network=true.
 */
export const LABELS = {
  tier: "toad.dev/tier",
  egress: "toad.dev/sandbox-egress",
  workspace: "toad.dev/workspace-id",
  instance: "app.kubernetes.io/instance",
} as const;
export const SANDBOX_TIER = "sandbox-job";
export type EgressPhase = "clone" | "none" | "open";

/** When the janitor may delete the pod (RFC 3339); moved forward as commands run. */
export const EXPIRES_ANNOTATION = "toad.dev/expires-at";

/** The container commands are exec'd in, and the init container that clones. */
export const WORKSPACE_CONTAINER = "workspace";
export const CLONE_CONTAINER = "clone";

/** Where things are inside the pod; tests move them into a temp folder. */
export interface PodLayout {
  /** Mount of the workspace emptyDir. Default /workspace. */
  workspaceMount: string;
  /** The checkout, at or below the mount; commands run here. Default /workspace/repo. */
  workspaceRoot: string;
  /** Mount of the writable /tmp emptyDir (the root filesystem is read-only). Default /tmp. */
  tmpMount: string;
}
export const DEFAULT_LAYOUT: PodLayout = {
  workspaceMount: "/workspace",
  workspaceRoot: "/workspace/repo",
  tmpMount: "/tmp",
};
export const workspaceRootIn = (layout: PodLayout): string => path.posix.normalize(layout.workspaceRoot);
/** The layout of a configured workspace directory: the checkout in its `repo` folder. */
export const layoutFor = (workspaceDir: string): PodLayout => ({
  workspaceMount: workspaceDir,
  workspaceRoot: path.posix.join(workspaceDir, "repo"),
  tmpMount: "/tmp",
});

/** One job's pod: where its code comes from and what it may use. */
export interface SandboxJob {
  workspaceId: string;
  gitUrl: string;
  /** A commit, tag or branch; "" = the remote's HEAD. */
  commit: string;
  /** Lower than the configured limits only (a request cannot raise them). */
  limits?: { cpuMillis?: number; memoryBytes?: number; timeoutSeconds?: number };
  /** The pod's first expiry is now + ttl. */
  now: Date;
}

/**
 * The clone script of the init container: a shallow fetch of exactly the
 * commit asked for (any commit a protocol-v2 server has), detached.
 */
export const CLONE_SCRIPT = [
  'git init -q "$TOAD_WORKSPACE"',
  'cd "$TOAD_WORKSPACE"',
  'git remote add origin "$TOAD_GIT_URL"',
  'git fetch -q --depth 1 origin "$TOAD_GIT_COMMIT"',
  "git checkout -q --detach FETCH_HEAD",
].join("\n");

const DEFAULT_CPU = "2";
const DEFAULT_MEMORY = "4Gi";
const DEFAULT_DEADLINE_SECONDS = 7_200;

const HARDENED_CONTAINER: V1SecurityContext = {
  allowPrivilegeEscalation: false,
  privileged: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ["ALL"] },
};

/** What the driver sets whatever the template says (after `refuseUnsafeTemplate` checked it asked for nothing weaker). */
function hardenContainer(container: V1Container): V1Container {
  const sc = container.securityContext ?? {};
  const drop = new Set([...(sc.capabilities?.drop ?? []), "ALL"]);
  return {
    ...container,
    securityContext: { ...sc, ...HARDENED_CONTAINER, capabilities: { ...sc.capabilities, drop: [...drop] } },
  };
}

/** A template that asks for privileges a sandbox must not have is a configuration error, not silently "fixed". */
function refuseUnsafeTemplate(template: V1Pod): void {
  const spec = template.spec;
  if (!spec) return;
  const problems: string[] = [];
  for (const key of ["hostNetwork", "hostPID", "hostIPC"] as const)
    if (spec[key]) problems.push(`spec.${key}`);
  if (spec.automountServiceAccountToken === true) problems.push("spec.automountServiceAccountToken: true");
  if (spec.securityContext?.runAsUser === 0) problems.push("spec.securityContext.runAsUser: 0");
  if (spec.securityContext?.runAsNonRoot === false) problems.push("spec.securityContext.runAsNonRoot: false");
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    const sc = c.securityContext ?? {};
    if (sc.privileged) problems.push(`container ${c.name}: privileged`);
    if (sc.allowPrivilegeEscalation) problems.push(`container ${c.name}: allowPrivilegeEscalation`);
    if (sc.runAsUser === 0 || sc.runAsNonRoot === false) problems.push(`container ${c.name}: runs as root`);
    if ((sc.capabilities?.add ?? []).length > 0) problems.push(`container ${c.name}: adds capabilities`);
  }
  if (problems.length > 0) {
    throw new SandboxConfigError(
      `the sandbox pod template asks for what a sandbox may not have: ${problems.join(", ")}`,
    );
  }
}

/** The pod TOAD creates when there is no template: the chart's shape (charts/toad/templates/_sandbox.tpl). */
function defaultPod(config: KubernetesSandboxConfig, layout: PodLayout): V1Pod {
  const mounts = [
    { name: "workspace", mountPath: layout.workspaceMount },
    { name: "tmp", mountPath: layout.tmpMount },
  ];
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      generateName: "toad-sandbox-",
      labels: {
        "app.kubernetes.io/name": "toad",
        [LABELS.instance]: config.instance,
        "app.kubernetes.io/component": SANDBOX_TIER,
        "app.kubernetes.io/part-of": "toad",
      },
    },
    spec: {
      restartPolicy: "Never",
      terminationGracePeriodSeconds: 5,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 1000,
        runAsGroup: 1000,
        fsGroup: 1000,
        seccompProfile: { type: "RuntimeDefault" },
      },
      initContainers: [
        {
          name: CLONE_CONTAINER,
          image: config.image,
          command: ["sh", "-ec"],
          args: [CLONE_SCRIPT],
          env: [{ name: "HOME", value: layout.tmpMount }],
          resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } },
          volumeMounts: mounts,
        },
      ],
      containers: [
        {
          name: WORKSPACE_CONTAINER,
          image: config.image,
          // The workspace idles; commands arrive through the exec API.
          args: ["sleep", "infinity"],
          env: [{ name: "HOME", value: layout.tmpMount }],
          resources: {
            requests: { cpu: "500m", memory: "1Gi" },
            limits: { cpu: DEFAULT_CPU, memory: DEFAULT_MEMORY },
          },
          volumeMounts: mounts,
        },
      ],
      volumes: [
        { name: "workspace", emptyDir: { sizeLimit: "10Gi" } },
        { name: "tmp", emptyDir: { sizeLimit: "2Gi" } },
      ],
    },
  };
}

/** Limits: the configured ones over the template's, lowered (never raised) by the job; requests kept ≤ limits. */
function workspaceResources(
  container: V1Container,
  config: KubernetesSandboxConfig,
  job: SandboxJob,
): V1Container["resources"] {
  const limits: Record<string, string> = { ...container.resources?.limits };
  const requests: Record<string, string> = { ...container.resources?.requests };
  limits.cpu = config.cpuLimit ?? limits.cpu ?? DEFAULT_CPU;
  limits.memory = config.memoryLimit ?? limits.memory ?? DEFAULT_MEMORY;
  if (job.limits?.cpuMillis)
    limits.cpu = smallerQuantity(limits.cpu, `${job.limits.cpuMillis}m`) ?? limits.cpu;
  if (job.limits?.memoryBytes)
    limits.memory = smallerQuantity(limits.memory, String(job.limits.memoryBytes)) ?? limits.memory;
  for (const key of ["cpu", "memory"] as const) {
    const request = requests[key];
    if (
      request !== undefined &&
      (parseQuantity(request) ?? 0) > (parseQuantity(limits[key]) ?? Number.POSITIVE_INFINITY)
    ) {
      requests[key] = limits[key] as string;
    }
  }
  return { ...container.resources, limits, requests };
}

/** The layout's mounts win over the template's, so the driver and the pod agree on where the checkout is. */
function setMounts(container: V1Container, layout: PodLayout): V1Container {
  const paths: Record<string, string> = { workspace: layout.workspaceMount, tmp: layout.tmpMount };
  const mounts = (container.volumeMounts ?? []).filter((m) => !(m.name in paths));
  return {
    ...container,
    volumeMounts: [...Object.entries(paths).map(([name, mountPath]) => ({ name, mountPath })), ...mounts],
  };
}

function setEnv(container: V1Container, values: Record<string, string>): V1Container {
  const env = (container.env ?? []).filter((entry) => !(entry.name in values));
  return { ...container, env: [...env, ...Object.entries(values).map(([name, value]) => ({ name, value }))] };
}

/**
 * The pod of one job: the built-in default, the operator's template merged
 * over it, then what this job needs (labels, expiry, clone source, limits)
 * and the hardening no template can take away: non-root, no privilege
 * escalation, all capabilities dropped, read-only root filesystem, no API
 * token, no service links, `activeDeadlineSeconds` as the last-resort stop.
 * Pure: the same inputs give the same pod.
 */
export function buildSandboxPod(
  job: SandboxJob,
  config: KubernetesSandboxConfig,
  template?: V1Pod,
  layout: PodLayout = DEFAULT_LAYOUT,
): V1Pod {
  if (template) refuseUnsafeTemplate(template);
  if (job.gitUrl === "") throw new SandboxConfigError("a sandbox pod needs a git URL to clone");
  const merged = mergeManifest(defaultPod(config, layout), template ?? {});
  // TOAD_SANDBOX_IMAGE is the workspace's (the project's toolchain) and wins over the template's;
  // other containers (the clone needs only git) keep the template's image when it names one.
  const image = (current: string | undefined, name: string) =>
    name === WORKSPACE_CONTAINER ? config.image || current || "" : current || config.image;
  const root = workspaceRootIn(layout);
  const spec = merged.spec ?? { containers: [] };
  const deadlines = [
    config.activeDeadlineSeconds ?? spec.activeDeadlineSeconds ?? DEFAULT_DEADLINE_SECONDS,
    ...(job.limits?.timeoutSeconds ? [job.limits.timeoutSeconds] : []),
  ];
  const expires = new Date(job.now.getTime() + config.ttlSeconds * 1000);
  return {
    ...merged,
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      ...merged.metadata,
      namespace: config.namespace,
      labels: {
        ...merged.metadata?.labels,
        [LABELS.tier]: SANDBOX_TIER,
        [LABELS.egress]: "clone" satisfies EgressPhase,
        [LABELS.workspace]: job.workspaceId,
      },
      annotations: {
        ...merged.metadata?.annotations,
        [EXPIRES_ANNOTATION]: expires.toISOString(),
        "toad.dev/git-url": job.gitUrl,
        "toad.dev/commit": job.commit,
      },
    },
    spec: {
      ...spec,
      restartPolicy: "Never",
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      activeDeadlineSeconds: Math.min(...deadlines),
      initContainers: (spec.initContainers ?? []).map((c) => {
        const container = { ...c, image: image(c.image, c.name) };
        if (c.name !== CLONE_CONTAINER) return hardenContainer(container);
        return hardenContainer(
          setEnv(setMounts(container, layout), {
            TOAD_GIT_URL: job.gitUrl,
            TOAD_GIT_COMMIT: job.commit === "" ? "HEAD" : job.commit,
            TOAD_WORKSPACE: root,
          }),
        );
      }),
      containers: spec.containers.map((c) => {
        const container = { ...c, image: image(c.image, c.name) };
        if (c.name !== WORKSPACE_CONTAINER) return hardenContainer(container);
        return hardenContainer({
          ...setEnv(setMounts(container, layout), { TOAD_WORKSPACE: root }),
          workingDir: root,
          resources: workspaceResources(container, config, job),
        });
      }),
    },
  };
}
