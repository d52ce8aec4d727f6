import type { V1Pod } from "@kubernetes/client-node";
import type { DriverLimits } from "../types.js";
import type { KubernetesSandboxConfig } from "./config.js";
import type { PodApi } from "./pod-api.js";
import { KubernetesPodDriver } from "./pod-driver.js";
import {
  buildSandboxPod,
  CLONE_CONTAINER,
  DEFAULT_LAYOUT,
  type EgressPhase,
  EXPIRES_ANNOTATION,
  LABELS,
  type PodLayout,
  SANDBOX_TIER,
  type SandboxJob,
  WORKSPACE_CONTAINER,
} from "./pod-spec.js";

export interface SandboxPodsOptions {
  api: PodApi;
  config: KubernetesSandboxConfig;
  /** The operator's pod template, already loaded (see `loadPodTemplate`). */
  template?: V1Pod;
  layout?: PodLayout;
  limits?: Partial<DriverLimits>;
  /** The longest wait between two looks at a starting pod (the first looks come sooner). Default 1 s. */
  pollMs?: number;
  now?: () => number;
}

/** A pod that could not become a workspace (clone failed, image missing, no room, too slow). */
export class SandboxPodError extends Error {
  override readonly name = "SandboxPodError";
}

type Readiness =
  | { state: "ready" }
  | { state: "pending"; detail: string }
  | { state: "failed"; detail: string };

/** Where a starting pod is: the clone finished and the workspace container runs, still on its way, or dead. */
export function podReadiness(pod: V1Pod): Readiness {
  const status = pod.status ?? {};
  const clone = status.initContainerStatuses?.find((s) => s.name === CLONE_CONTAINER);
  const cloneEnd = clone?.state?.terminated;
  if (cloneEnd && cloneEnd.exitCode !== 0) {
    const why = cloneEnd.message?.trim() || cloneEnd.reason || `exit code ${cloneEnd.exitCode}`;
    return { state: "failed", detail: `the clone init container failed: ${why}` };
  }
  if (status.phase === "Failed" || status.phase === "Succeeded") {
    return {
      state: "failed",
      detail: `pod ${status.phase}: ${status.message ?? status.reason ?? "no reason given"}`,
    };
  }
  const workspace = status.containerStatuses?.find((s) => s.name === WORKSPACE_CONTAINER);
  if (status.phase === "Running" && workspace?.state?.running) return { state: "ready" };
  const waiting = clone?.state?.waiting ?? workspace?.state?.waiting;
  // Image pulls that cannot succeed fail fast instead of waiting for the start timeout.
  if (
    waiting?.reason === "ErrImagePull" ||
    waiting?.reason === "ImagePullBackOff" ||
    waiting?.reason === "InvalidImageName"
  ) {
    return { state: "failed", detail: `${waiting.reason}: ${waiting.message ?? ""}`.trim() };
  }
  const detail =
    waiting?.reason ??
    status.conditions?.find((c) => c.status === "False")?.message ??
    status.phase ??
    "Pending";
  return { state: "pending", detail };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Job pods: one per workspace, created from the template, waited for until
 * the clone is done, relabelled from the clone phase to no egress (or open,
 * when asked), deleted when the job ends, and reaped by a janitor once their
 * idle expiry passed (`activeDeadlineSeconds` stops them even if no janitor runs).
 */
export class SandboxPods {
  private readonly layout: PodLayout;
  private readonly now: () => number;
  /** When this process last moved each pod's expiry (shared by every driver attached to the pod). */
  private readonly touched = new Map<string, number>();

  constructor(private readonly options: SandboxPodsOptions) {
    this.layout = options.layout ?? DEFAULT_LAYOUT;
    this.now = options.now ?? Date.now;
  }

  /** Creates the job's pod and returns its driver once the checkout is there and egress is cut. */
  async create(job: Omit<SandboxJob, "now"> & { network: boolean }): Promise<KubernetesPodDriver> {
    const { api, config } = this.options;
    const manifest = buildSandboxPod(
      { ...job, now: new Date(this.now()) },
      config,
      this.options.template,
      this.layout,
    );
    const created = await api.create(config.namespace, manifest);
    const name = created.metadata?.name;
    if (!name) throw new SandboxPodError("the API server created a pod without a name");
    try {
      await this.waitReady(name);
      const phase: EgressPhase = job.network ? "open" : "none";
      await api.patchMetadata(config.namespace, name, { labels: { [LABELS.egress]: phase } });
    } catch (error) {
      await api.delete(config.namespace, name).catch(() => {});
      throw error instanceof SandboxPodError
        ? error
        : new SandboxPodError(`pod ${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
    // The expiry was stamped at creation.
    this.touched.set(name, this.now());
    return this.attach(name, job.network);
  }

  /** The driver of a pod created earlier (e.g. by another replica of the sandbox service). */
  attach(podName: string, network: boolean): KubernetesPodDriver {
    return new KubernetesPodDriver({
      api: this.options.api,
      namespace: this.options.config.namespace,
      podName,
      network,
      layout: this.layout,
      onActivity: () => this.touch(podName),
      ...(this.options.limits && { limits: this.options.limits }),
    });
  }

  /**
   * A command started in the pod: its idle expiry moves to now + ttl. At most
   * every ttl/4 per pod, to spare the API server; a failed patch is retried
   * by the next command (it only brings the expiry closer).
   */
  private touch(podName: string): void {
    const now = this.now();
    const ttlMs = this.options.config.ttlSeconds * 1000;
    if (now - (this.touched.get(podName) ?? 0) < ttlMs / 4) return;
    this.touched.set(podName, now);
    const expires = new Date(now + ttlMs).toISOString();
    this.options.api
      .patchMetadata(this.options.config.namespace, podName, {
        annotations: { [EXPIRES_ANNOTATION]: expires },
      })
      .catch(() => this.touched.delete(podName));
  }

  /** The job ended: its pod goes now. */
  async destroy(podName: string): Promise<void> {
    this.touched.delete(podName);
    await this.options.api.delete(this.options.config.namespace, podName);
  }

  /** Deletes every sandbox pod whose expiry passed or that already stopped; returns their names. */
  async sweep(): Promise<string[]> {
    const { api, config } = this.options;
    const pods = await api.list(config.namespace, `${LABELS.tier}=${SANDBOX_TIER}`);
    const deleted: string[] = [];
    for (const pod of pods) {
      const name = pod.metadata?.name;
      const expires = Date.parse(pod.metadata?.annotations?.[EXPIRES_ANNOTATION] ?? "");
      const stopped = pod.status?.phase === "Failed" || pod.status?.phase === "Succeeded";
      // A pod with no readable expiry was not made by this driver: leave it alone.
      if (!name || Number.isNaN(expires) || (expires > this.now() && !stopped)) continue;
      await api.delete(config.namespace, name);
      this.touched.delete(name);
      deleted.push(name);
    }
    return deleted;
  }

  /** Sweeps every `intervalMs` until stopped; a failed sweep is reported and the next one tries again. */
  startJanitor(intervalMs: number, onError: (error: unknown) => void): { stop(): void } {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      this.sweep()
        .catch(onError)
        .finally(() => {
          running = false;
        });
    }, intervalMs);
    timer.unref();
    return { stop: () => clearInterval(timer) };
  }

  private async waitReady(name: string): Promise<void> {
    const { api, config } = this.options;
    const deadline = this.now() + config.startTimeoutSeconds * 1000;
    let last = "not created yet";
    // Look soon, then back off: a small clone is done in well under a second.
    for (let attempt = 0; this.now() < deadline; attempt++) {
      const pod = await api.read(config.namespace, name);
      if (!pod) throw new SandboxPodError(`pod ${name} disappeared while starting`);
      const readiness = podReadiness(pod);
      if (readiness.state === "ready") return;
      if (readiness.state === "failed") throw new SandboxPodError(`pod ${name}: ${readiness.detail}`);
      last = readiness.detail;
      await sleep(Math.min(this.options.pollMs ?? 1_000, 50 * 2 ** attempt));
    }
    throw new SandboxPodError(
      `pod ${name} did not start within ${config.startTimeoutSeconds} s (last: ${last})`,
    );
  }
}
