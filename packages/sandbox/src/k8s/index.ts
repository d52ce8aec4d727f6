import { type KubernetesSandboxConfig, kubernetesSandboxConfigFromEnv } from "./config.js";
import { connectPodApi, type KubeConfigSource, type PodApi } from "./pod-api.js";
import { layoutFor } from "./pod-spec.js";
import { SandboxPods, type SandboxPodsOptions } from "./sandbox-pods.js";
import { loadPodTemplate } from "./template.js";

export {
  type KubernetesSandboxConfig,
  kubernetesSandboxConfigFromEnv,
  SandboxConfigError,
} from "./config.js";
export { killArgv, MAX_STDIN_BYTES, refusedCwd, wrapCommand } from "./exec-script.js";
export { mergeManifest } from "./merge.js";
export {
  connectPodApi,
  type ExecStatus,
  type KubeConfigSource,
  type PodApi,
  type RunningExec,
} from "./pod-api.js";
export { exitCodeOf, KubernetesPodDriver, type PodDriverOptions } from "./pod-driver.js";
export {
  buildSandboxPod,
  CLONE_CONTAINER,
  CLONE_SCRIPT,
  DEFAULT_LAYOUT,
  type EgressPhase,
  EXPIRES_ANNOTATION,
  LABELS,
  layoutFor,
  type PodLayout,
  SANDBOX_TIER,
  type SandboxJob,
  WORKSPACE_CONTAINER,
  workspaceRootIn,
} from "./pod-spec.js";
export { parseQuantity } from "./quantity.js";
export { podReadiness, SandboxPodError, SandboxPods, type SandboxPodsOptions } from "./sandbox-pods.js";
export { loadPodTemplate } from "./template.js";

/** KUBECONFIG of the given environment when set, else the in-cluster service account or ~/.kube/config. */
function kubeConfigFromEnv(env: NodeJS.ProcessEnv): KubeConfigSource {
  const file = env.KUBECONFIG?.trim();
  return file ? { kind: "options", configure: (kc) => kc.loadFromFile(file) } : { kind: "default" };
}

/**
 * The pod driver from the environment (TOAD_SANDBOX_*; see services/README.md):
 * the configuration checked, the template loaded, the API client connected.
 * `api` replaces the real client (tests point it at a fake API server).
 */
export async function createSandboxPods(
  env: NodeJS.ProcessEnv,
  overrides: { api?: PodApi } & Partial<Omit<SandboxPodsOptions, "api" | "config" | "template">> = {},
): Promise<{ pods: SandboxPods; config: KubernetesSandboxConfig }> {
  const config = kubernetesSandboxConfigFromEnv(env);
  const template =
    config.podTemplatePath === undefined ? undefined : await loadPodTemplate(config.podTemplatePath);
  const { api, ...rest } = overrides;
  const pods = new SandboxPods({
    layout: layoutFor(config.workspaceDir),
    ...rest,
    api: api ?? (await connectPodApi(kubeConfigFromEnv(env))),
    config,
    ...(template && { template }),
  });
  return { pods, config };
}
