/**
 * Configuration of the Kubernetes pod driver, read from the environment of
 * the sandbox service (the Helm chart sets these; see services/README.md).
 */
export interface KubernetesSandboxConfig {
  /** Namespace the job pods are created in (TOAD_SANDBOX_NAMESPACE; default POD_NAMESPACE, else "default"). */
  namespace: string;
  /** Optional YAML or JSON Pod merged under what the driver sets (TOAD_SANDBOX_POD_TEMPLATE). */
  podTemplatePath?: string;
  /** Image of both containers when the template names none (TOAD_SANDBOX_IMAGE). */
  image: string;
  /**
   * Idle time to live: a pod no command ran in for this long is deleted by the
   * janitor (its expiry annotation moves forward as commands run). TOAD_SANDBOX_TTL_SECONDS; default 1800.
   */
  ttlSeconds: number;
  /**
   * The kubelet's hard stop of a pod, whatever the janitor does (TOAD_SANDBOX_ACTIVE_DEADLINE_SECONDS).
   * Unset: the template's, else 7200.
   */
  activeDeadlineSeconds?: number;
  /**
   * Limits of the workspace container (TOAD_SANDBOX_CPU_LIMIT, TOAD_SANDBOX_MEMORY_LIMIT; Kubernetes
   * quantities). Unset: the template's, else 2 CPUs and 4Gi.
   */
  cpuLimit?: string;
  memoryLimit?: string;
  /** `app.kubernetes.io/instance` of job pods when the template sets none: the NetworkPolicies select on it (TOAD_SANDBOX_INSTANCE; default "toad"). */
  instance: string;
  /** How long creating a pod may take, clone included (TOAD_SANDBOX_START_TIMEOUT_SECONDS; default 300). */
  startTimeoutSeconds: number;
  /** Where the workspace volume is mounted in the pod; the checkout is `<dir>/repo` (TOAD_SANDBOX_WORKSPACE_DIR; default /workspace). */
  workspaceDir: string;
}

const QUANTITY = /^([0-9]+(\.[0-9]+)?|\.[0-9]+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
/** A Kubernetes object name (RFC 1123 label, as namespaces must be). */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export class SandboxConfigError extends Error {
  override readonly name = "SandboxConfigError";
}

function text(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

function seconds(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new SandboxConfigError(`${name} must be a whole number of seconds ≥ 1, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function quantity(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = text(env, name);
  if (value !== undefined && !QUANTITY.test(value)) {
    throw new SandboxConfigError(
      `${name} must be a Kubernetes quantity (e.g. 2, 500m, 4Gi), got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function absolutePath(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const value = text(env, name) ?? fallback;
  if (!value.startsWith("/") || value === "/") {
    throw new SandboxConfigError(`${name} must be an absolute path below /, got ${JSON.stringify(value)}`);
  }
  return value.replace(/\/+$/, "");
}

/** Reads and checks the driver's settings; a bad value throws a `SandboxConfigError` naming the variable. */
export function kubernetesSandboxConfigFromEnv(env: NodeJS.ProcessEnv): KubernetesSandboxConfig {
  const namespace = text(env, "TOAD_SANDBOX_NAMESPACE") ?? text(env, "POD_NAMESPACE") ?? "default";
  if (!DNS_LABEL.test(namespace)) {
    throw new SandboxConfigError(
      `TOAD_SANDBOX_NAMESPACE is not a valid namespace name: ${JSON.stringify(namespace)}`,
    );
  }
  const podTemplatePath = text(env, "TOAD_SANDBOX_POD_TEMPLATE");
  const image = text(env, "TOAD_SANDBOX_IMAGE");
  if (image === undefined && podTemplatePath === undefined) {
    throw new SandboxConfigError(
      "the k8s sandbox driver needs an image: set TOAD_SANDBOX_IMAGE or a TOAD_SANDBOX_POD_TEMPLATE that names one",
    );
  }
  const deadline = text(env, "TOAD_SANDBOX_ACTIVE_DEADLINE_SECONDS");
  const cpuLimit = quantity(env, "TOAD_SANDBOX_CPU_LIMIT");
  const memoryLimit = quantity(env, "TOAD_SANDBOX_MEMORY_LIMIT");
  return {
    namespace,
    ...(podTemplatePath !== undefined && { podTemplatePath }),
    image: image ?? "",
    ttlSeconds: seconds(env, "TOAD_SANDBOX_TTL_SECONDS", 1_800),
    ...(deadline !== undefined && {
      activeDeadlineSeconds: seconds(env, "TOAD_SANDBOX_ACTIVE_DEADLINE_SECONDS", 0),
    }),
    ...(cpuLimit !== undefined && { cpuLimit }),
    ...(memoryLimit !== undefined && { memoryLimit }),
    instance: text(env, "TOAD_SANDBOX_INSTANCE") ?? "toad",
    startTimeoutSeconds: seconds(env, "TOAD_SANDBOX_START_TIMEOUT_SECONDS", 300),
    workspaceDir: absolutePath(env, "TOAD_SANDBOX_WORKSPACE_DIR", "/workspace"),
  };
}
