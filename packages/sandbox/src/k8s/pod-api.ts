import type { Writable } from "node:stream";
import type { KubeConfig, V1Pod, V1Status } from "@kubernetes/client-node";

/** How an exec ended: the status JSON the API server sends on channel 3, if it sent one. */
export type ExecStatus = V1Status | undefined;

export interface RunningExec {
  /** Settles when the stream closed (status received, or the connection dropped). */
  done: Promise<ExecStatus>;
  /** Closes the stream (the API server does not kill the process for that: see exec-script.ts). */
  close(): void;
}

/**
 * The subset of the Kubernetes API the pod driver uses. The real one is
 * `connectPodApi` (over @kubernetes/client-node); a fake API server in the
 * tests answers the same HTTP and WebSocket calls.
 */
export interface PodApi {
  create(namespace: string, pod: V1Pod): Promise<V1Pod>;
  /** Undefined when the pod does not exist. */
  read(namespace: string, name: string): Promise<V1Pod | undefined>;
  /** A JSON merge patch of labels and annotations. */
  patchMetadata(
    namespace: string,
    name: string,
    metadata: { labels?: Record<string, string>; annotations?: Record<string, string> },
  ): Promise<void>;
  /** A pod already gone is fine. */
  delete(namespace: string, name: string): Promise<void>;
  list(namespace: string, labelSelector: string): Promise<V1Pod[]>;
  exec(
    namespace: string,
    name: string,
    container: string,
    argv: readonly string[],
    output: { stdout: Writable; stderr: Writable },
  ): Promise<RunningExec>;
}

function statusCode(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === "number" ? code : undefined;
}

/** Where the API server is: in the cluster (service account) or KUBECONFIG / ~/.kube/config. */
export type KubeConfigSource = { kind: "default" } | { kind: "options"; configure: (kc: KubeConfig) => void };

/**
 * The real API over @kubernetes/client-node. The library is imported here,
 * on first use, so nothing that never creates a pod (the embedded CLI) loads it.
 */
export async function connectPodApi(source: KubeConfigSource = { kind: "default" }): Promise<PodApi> {
  const k8s = await import("@kubernetes/client-node");
  const kc = new k8s.KubeConfig();
  if (source.kind === "default") kc.loadFromDefault();
  else source.configure(kc);
  if (!kc.getCurrentCluster()) {
    throw new Error("no Kubernetes cluster configured: run in a cluster or set KUBECONFIG");
  }
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const exec = new k8s.Exec(kc);
  const mergePatch = k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.MergePatch);
  return {
    create: (namespace, body) => core.createNamespacedPod({ namespace, body }),
    async read(namespace, name) {
      try {
        return await core.readNamespacedPod({ namespace, name });
      } catch (error) {
        if (statusCode(error) === 404) return undefined;
        throw error;
      }
    },
    async patchMetadata(namespace, name, metadata) {
      await core.patchNamespacedPod({ namespace, name, body: { metadata } }, mergePatch);
    },
    async delete(namespace, name) {
      try {
        await core.deleteNamespacedPod({ namespace, name, gracePeriodSeconds: 0 });
      } catch (error) {
        if (statusCode(error) !== 404) throw error;
      }
    },
    async list(namespace, labelSelector) {
      return (await core.listNamespacedPod({ namespace, labelSelector })).items;
    },
    async exec(namespace, name, container, argv, output) {
      let status: ExecStatus;
      const socket = await exec.exec(
        namespace,
        name,
        container,
        [...argv],
        output.stdout,
        output.stderr,
        null,
        false,
        (s) => {
          status = s;
        },
      );
      const done = new Promise<ExecStatus>((resolve) => {
        if (socket.readyState === socket.CLOSED) resolve(status);
        socket.on("close", () => resolve(status));
      });
      return { done, close: () => socket.close() };
    },
  };
}
