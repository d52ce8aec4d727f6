import { readFile } from "node:fs/promises";
import type { V1Pod } from "@kubernetes/client-node";
import { SandboxConfigError } from "./config.js";

/**
 * Reads the operator's pod template (TOAD_SANDBOX_POD_TEMPLATE): one Pod in
 * YAML or JSON, such as the chart's ConfigMap `<release>-sandbox-pod`.
 */
export async function loadPodTemplate(file: string): Promise<V1Pod> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new SandboxConfigError(
      `TOAD_SANDBOX_POD_TEMPLATE ${file}: cannot read it (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const { parse } = await import("yaml");
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    throw new SandboxConfigError(
      `TOAD_SANDBOX_POD_TEMPLATE ${file}: not YAML or JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new SandboxConfigError(`TOAD_SANDBOX_POD_TEMPLATE ${file}: expected one Pod object`);
  }
  const pod = value as V1Pod;
  if (pod.kind !== "Pod" || pod.apiVersion !== "v1") {
    throw new SandboxConfigError(
      `TOAD_SANDBOX_POD_TEMPLATE ${file}: expected apiVersion v1, kind Pod; got ${pod.apiVersion}/${pod.kind}`,
    );
  }
  if (pod.spec !== undefined && !Array.isArray(pod.spec.containers ?? [])) {
    throw new SandboxConfigError(`TOAD_SANDBOX_POD_TEMPLATE ${file}: spec.containers must be a list`);
  }
  return pod;
}
