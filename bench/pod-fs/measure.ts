// Loaded by run.mjs: see there.
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  connectPodApi,
  kubernetesSandboxConfigFromEnv,
  ProcessDriver,
  type SandboxDriver,
  SandboxPods,
} from "@toad/sandbox";
import {
  createBuiltinTools,
  createExecWorkspaceFs,
  createToolContext,
  executeToolCall,
  type ToolContext,
} from "@toad/tools";
import { startFakeKubeApi } from "../../packages/sandbox/test/fake-kube-api.js";

const NAMESPACE = "toad-bench";

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function time(iterations: number, once: () => Promise<void>): Promise<number[]> {
  for (let i = 0; i < 10; i++) await once();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    await once();
    samples.push(performance.now() - started);
  }
  return samples.sort((a, b) => a - b);
}

export async function measure(iterations: number, print: (line: string) => void): Promise<void> {
  const scratch = await mkdtemp(path.join(tmpdir(), "toad-bench-podfs-"));
  const fake = await startFakeKubeApi();
  try {
    const source = path.join(scratch, "source");
    await mkdir(source);
    const lines = Array.from({ length: 200 }, (_, i) => `export const value${i} = ${i}; // line ${i + 1}`);
    await writeFile(path.join(source, "file.ts"), `${lines.join("\n")}\n`);
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.email=b@b", "-c", "user.name=b", ...args], { cwd: source });
    git("init", "-q");
    git("add", ".");
    git("commit", "-qm", "bench");

    const workspace = path.join(scratch, "pod");
    await mkdir(workspace);
    const api = await connectPodApi({
      kind: "options",
      configure: (kc) =>
        kc.loadFromOptions({
          clusters: [{ name: "fake", server: fake.url, skipTLSVerify: true }],
          users: [{ name: "bench", token: fake.token }],
          contexts: [{ name: "fake", cluster: "fake", user: "bench" }],
          currentContext: "fake",
        }),
    });
    const config = kubernetesSandboxConfigFromEnv({
      TOAD_SANDBOX_NAMESPACE: NAMESPACE,
      TOAD_SANDBOX_IMAGE: "toad:bench",
    });
    const pods = new SandboxPods({
      api,
      config,
      layout: { workspaceMount: workspace, workspaceRoot: workspace, tmpMount: tmpdir() },
      pollMs: 20,
    });
    const pod = await pods.create({
      workspaceId: "ws_bench",
      gitUrl: `file://${source}`,
      commit: "",
      network: false,
    });

    const registry = createBuiltinTools({ only: ["read_file"] });
    const contextFor = (sandbox: SandboxDriver, exec: boolean): Promise<ToolContext> =>
      createToolContext({
        workspaceRoot: workspace,
        sandbox,
        ...(exec && { fs: createExecWorkspaceFs(sandbox) }),
      });
    const local = new ProcessDriver({ workspaceRoot: workspace });
    const setups: Array<[string, ToolContext]> = [
      ["local (node:fs)", await contextFor(local, false)],
      ["exec fs, plain child process", await contextFor(local, true)],
      ["exec fs, pod via fake exec API", await contextFor(pod, true)],
    ];
    print(`read_file of a 200-line file, ${iterations} calls after 10 warm-up (ms)`);
    print("setup                             p50      p95      max");
    for (const [name, ctx] of setups) {
      let n = 0;
      const samples = await time(iterations, async () => {
        const outcome = await executeToolCall(
          registry,
          { callId: `b${++n}`, name: "read_file", argumentsJson: JSON.stringify({ path: "file.ts" }) },
          ctx,
        );
        if (outcome.isError) throw new Error(outcome.output);
      });
      const cells = [50, 95, 100].map((p) => percentile(samples, p).toFixed(2).padStart(8));
      print(`${name.padEnd(32)}${cells.join(" ")}`);
    }
    print("one bare command (`true`) through each driver, the floor of one file operation (ms)");
    for (const [name, driver] of [
      ["plain child process", local],
      ["pod via fake exec API", pod],
    ] as const) {
      const samples = await time(iterations, async () => {
        await driver.exec({ command: ["true"] });
      });
      const cells = [50, 95, 100].map((p) => percentile(samples, p).toFixed(2).padStart(8));
      print(`${name.padEnd(32)}${cells.join(" ")}`);
    }
    const execs = fake.requests.filter((r) => r.startsWith("EXEC ")).length;
    print(`exec API calls made by the pod setup (incl. warm-up and the clone check): ${execs}`);
    await pods.destroy(pod.podName);
  } finally {
    await fake.close();
    await rm(scratch, { recursive: true, force: true });
  }
}
