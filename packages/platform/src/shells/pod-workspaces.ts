import { NO_SYNTAX_CHECK } from "@toad/core";
import type * as pb from "@toad/proto";
import { type OutputChunk, SandboxConfigError, SandboxPodError, type SandboxPods } from "@toad/sandbox";
import {
  BUILTIN_TOOL_NAMES,
  createBuiltinTools,
  createTodoList,
  type ToolContext,
  type ToolRegistry,
} from "@toad/tools";
import { failedPrecondition, invalidArgument } from "../errors.js";

/**
 * Tools that do all their work through the sandbox driver, so they run in a
 * pod as they do locally. The other built-in tools read and write files with
 * node:fs on the machine they run on, which for a pod workspace is the
 * sandbox service's own disk, not the pod's: they are refused until the tools
 * package reads files through a port a pod can serve.
 */
export const POD_TOOLS = ["bash", "todo_write"] as const;

/** A workspace that lives in a job pod. */
export interface PodWorkspace {
  podName: string;
  root: string;
  network: boolean;
  /** The commit checked out (resolved in the pod; "" if it could not be read). */
  commit?: string;
}

/** A pod workspace reached a service started without TOAD_SANDBOX_DRIVER=k8s. */
export const noPodDriver = (workspaceId: string) =>
  failedPrecondition(
    `workspace ${workspaceId} is a pod, and this sandbox service has no pod driver (TOAD_SANDBOX_DRIVER=k8s)`,
  );

/** Creates the job pod of a `CreateWorkspace` call: git sources only, the clone done by the pod's init container. */
export async function createPodWorkspace(
  pods: SandboxPods,
  workspaceId: string,
  request: pb.CreateWorkspaceRequest,
): Promise<PodWorkspace> {
  if (request.gitUrl === "")
    throw invalidArgument(
      "the Kubernetes sandbox driver creates workspaces from git_url only (no local_path)",
    );
  try {
    const driver = await pods.create({
      workspaceId,
      gitUrl: request.gitUrl,
      commit: request.commit,
      network: request.network,
      ...(request.limits && {
        limits: {
          cpuMillis: request.limits.cpuMillis,
          memoryBytes: Number(request.limits.memoryBytes),
          timeoutSeconds: request.limits.timeoutSeconds,
        },
      }),
    });
    const head = await driver.exec({ command: ["git", "rev-parse", "HEAD"], timeoutMs: 30_000 });
    return {
      podName: driver.podName,
      root: driver.describe().workspaceRoot,
      network: request.network,
      commit: head.exitCode === 0 ? head.stdout.trim() : "",
    };
  } catch (error) {
    if (error instanceof SandboxConfigError) throw invalidArgument(error.message);
    if (error instanceof SandboxPodError) throw failedPrecondition(error.message);
    throw error;
  }
}

export interface PodToolRun {
  registry: ToolRegistry;
  context: ToolContext;
}

/**
 * The registry and tool context of one call in a pod workspace, or a refusal
 * naming the tools that work there. (createToolContext is not used: it
 * resolves the root on this machine's disk.)
 */
export function podToolRun(
  pods: SandboxPods,
  workspace: PodWorkspace,
  tool: string,
  signal: AbortSignal,
  onOutput: (chunk: OutputChunk) => void,
): PodToolRun {
  if (
    (BUILTIN_TOOL_NAMES as readonly string[]).includes(tool) &&
    !(POD_TOOLS as readonly string[]).includes(tool)
  ) {
    throw failedPrecondition(
      `tool ${tool} does not run in a Kubernetes workspace yet (it reads files on the service's disk); ` +
        `use ${POD_TOOLS.join(" or ")} (e.g. bash with cat, sed, git)`,
    );
  }
  return {
    registry: createBuiltinTools({ only: [...POD_TOOLS] }),
    context: {
      workspaceRoot: workspace.root,
      sandbox: pods.attach(workspace.podName, workspace.network),
      syntaxChecker: NO_SYNTAX_CHECK,
      beforeWrite: async () => {},
      todos: createTodoList(),
      signal,
      onOutput,
    },
  };
}
