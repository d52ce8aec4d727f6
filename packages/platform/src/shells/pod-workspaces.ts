import { NO_SYNTAX_CHECK } from "@toad/core";
import type * as pb from "@toad/proto";
import { type OutputChunk, SandboxConfigError, SandboxPodError, type SandboxPods } from "@toad/sandbox";
import { createExecWorkspaceFs, createTodoList, type ToolContext, type ToolRegistry } from "@toad/tools";
import { failedPrecondition, invalidArgument } from "../errors.js";

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
 * The tool context of one call in a pod workspace: commands run through the
 * pod's exec API and so does every file operation of the file tools (the
 * exec file system: one exec per operation, links resolved inside the pod),
 * so every built-in tool works there as it does locally. `workspace.root`
 * is already the pod's real path (the pod layout's checkout folder).
 */
export function podToolRun(
  pods: SandboxPods,
  registry: ToolRegistry,
  workspace: PodWorkspace,
  signal: AbortSignal,
  onOutput: (chunk: OutputChunk) => void,
): PodToolRun {
  const sandbox = pods.attach(workspace.podName, workspace.network);
  return {
    registry,
    context: {
      workspaceRoot: workspace.root,
      sandbox,
      fs: createExecWorkspaceFs(sandbox),
      syntaxChecker: NO_SYNTAX_CHECK,
      beforeWrite: async () => {},
      todos: createTodoList(),
      signal,
      onOutput,
    },
  };
}
