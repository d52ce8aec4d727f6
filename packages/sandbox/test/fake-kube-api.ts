/**
 * A STAND-IN FOR A KUBERNETES CLUSTER: there is no cluster (and no Docker) on
 * this machine, so the pod driver is tested against this loopback HTTP +
 * WebSocket server, which answers only the calls the driver makes, the way the
 * API server answers them:
 *  - pods: create (generateName), get, JSON merge patch of metadata, delete,
 *    list by label selector (equality terms), 404s as Status objects, a bearer token;
 *  - exec: the WebSocket upgrade with subprotocol negotiation (v5.channel.k8s.io
 *    or v4.channel.k8s.io), the argv in the URL (request line + headers up to
 *    1 MiB, as the API server's HTTP server allows), output on channels 1 and 2,
 *    the exit status JSON on channel 3, then close.
 * What it does for real: the clone init container's command runs as a local
 * child process with the pod's env (so the clone script is run against a real
 * git repository), and every exec'd argv is spawned as a local child process in
 * the workspace container's workingDir with only the container's env (+ PATH),
 * so stdout/stderr/exit codes/timeouts/kills/output caps are the real thing.
 * What it does NOT cover: scheduling, image pulls, container isolation (the
 * "pod" is this machine's filesystem), the init container running in its own
 * container image, NetworkPolicy enforcement (labels are only recorded),
 * resource limits enforcement, admission (pod security, quotas), RBAC, TLS.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { V1Container, V1Pod } from "@kubernetes/client-node";
import { WebSocketServer } from "ws";
import { mergeManifest } from "../src/index.js";

export interface FakeKubeApi {
  url: string;
  token: string;
  pods: Map<string, V1Pod>;
  /** "METHOD path" of every request, in order. */
  requests: string[];
  /** Subprotocol of each exec, in order. */
  execProtocols: string[];
  close(): Promise<void>;
}

const PROTOCOLS = ["v5.channel.k8s.io", "v4.channel.k8s.io"];

function status(code: number, reason: string, message: string) {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code };
}

function send(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

async function body(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
}

function matchesSelector(pod: V1Pod, selector: string | null): boolean {
  if (!selector) return true;
  return selector.split(",").every((term) => {
    const [key, value] = term.split("=");
    return key !== undefined && pod.metadata?.labels?.[key] === value;
  });
}

function containerEnv(container: V1Container | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH };
  for (const entry of container?.env ?? []) env[entry.name] = entry.value ?? "";
  return env;
}

/** Runs the clone init container's command locally and moves the pod to Running or Failed. */
function startPod(pod: V1Pod): void {
  const clone = pod.spec?.initContainers?.find((c) => c.name === "clone");
  const argv = [...(clone?.command ?? []), ...(clone?.args ?? [])];
  const [file, ...args] = argv;
  pod.status = {
    phase: "Pending",
    initContainerStatuses: [{ name: "clone", state: { running: {} } } as never],
  };
  if (file === undefined) return;
  const child = spawn(file, args, { env: containerEnv(clone), stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.on("close", (code) => {
    const exitCode = code ?? 137;
    const terminated = {
      exitCode,
      reason: exitCode === 0 ? "Completed" : "Error",
      message: stderr.slice(-500),
    };
    pod.status = {
      phase: exitCode === 0 ? "Running" : "Failed",
      initContainerStatuses: [{ name: "clone", state: { terminated } } as never],
      containerStatuses:
        exitCode === 0 ? [{ name: "workspace", state: { running: { startedAt: new Date() } } } as never] : [],
    };
  });
}

export async function startFakeKubeApi(
  options: { protocols?: readonly string[] } = {},
): Promise<FakeKubeApi> {
  const token = randomBytes(8).toString("hex");
  const pods = new Map<string, V1Pod>();
  const requests: string[] = [];
  const execProtocols: string[] = [];
  const running = new Set<ChildProcess>();
  const key = (ns: string, name: string) => `${ns}/${name}`;
  const offered = options.protocols ?? PROTOCOLS;

  // The API server (Go net/http) reads request lines and headers up to 1 MiB; an exec's argv travels in
  // its URL, so the exec file system's large writes depend on this limit (Node's own default is 16 KiB).
  const server: Server = createServer({ maxHeaderSize: 1024 * 1024 }, (req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://fake");
      requests.push(`${req.method} ${url.pathname}`);
      if (req.headers.authorization !== `Bearer ${token}`)
        return send(res, 401, status(401, "Unauthorized", "no token"));
      const match = /^\/api\/v1\/namespaces\/([^/]+)\/pods(?:\/([^/]+))?$/.exec(url.pathname);
      if (!match) return send(res, 404, status(404, "NotFound", `no route ${url.pathname}`));
      const [, ns = "", name] = match;
      if (name === undefined && req.method === "POST") {
        const pod = (await body(req)) as V1Pod;
        const podName =
          pod.metadata?.name ?? `${pod.metadata?.generateName ?? "pod-"}${randomBytes(3).toString("hex")}`;
        pod.metadata = { ...pod.metadata, name: podName, namespace: ns, uid: randomBytes(8).toString("hex") };
        pods.set(key(ns, podName), pod);
        startPod(pod);
        return send(res, 201, pod);
      }
      if (name === undefined && req.method === "GET") {
        const items = [...pods.values()].filter(
          (p) => p.metadata?.namespace === ns && matchesSelector(p, url.searchParams.get("labelSelector")),
        );
        return send(res, 200, { kind: "PodList", apiVersion: "v1", metadata: {}, items });
      }
      const pod = name === undefined ? undefined : pods.get(key(ns, name));
      if (!pod || name === undefined)
        return send(res, 404, status(404, "NotFound", `pods "${name}" not found`));
      if (req.method === "GET") return send(res, 200, pod);
      if (req.method === "PATCH") {
        if (req.headers["content-type"] !== "application/merge-patch+json")
          return send(res, 415, status(415, "UnsupportedMediaType", String(req.headers["content-type"])));
        const patch = (await body(req)) as V1Pod;
        pod.metadata = mergeManifest(pod.metadata ?? {}, patch.metadata);
        return send(res, 200, pod);
      }
      if (req.method === "DELETE") {
        pods.delete(key(ns, name));
        return send(res, 200, pod);
      }
      return send(res, 405, status(405, "MethodNotAllowed", String(req.method)));
    })().catch((error: unknown) => send(res, 500, status(500, "InternalError", String(error))));
  });

  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => offered.find((p) => protocols.has(p)) ?? false,
  });
  server.on("upgrade", (req, socket, head) => {
    const url = new URL(req.url ?? "/", "http://fake");
    requests.push(`EXEC ${url.pathname}`);
    const match = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec$/.exec(url.pathname);
    const pod = match ? pods.get(key(match[1] ?? "", match[2] ?? "")) : undefined;
    const refuse = (code: number, text: string) => {
      socket.end(`HTTP/1.1 ${code} ${text}\r\nContent-Length: 0\r\n\r\n`);
    };
    if (req.headers.authorization !== `Bearer ${token}`) return refuse(401, "Unauthorized");
    if (!pod) return refuse(404, "Not Found");
    if (pod.status?.phase !== "Running") return refuse(400, "Bad Request");
    const container = pod.spec?.containers.find((c) => c.name === url.searchParams.get("container"));
    if (!container) return refuse(400, "Bad Request");
    const argv = url.searchParams.getAll("command");
    wss.handleUpgrade(req, socket, head, (ws) => {
      execProtocols.push(ws.protocol);
      const frame = (channel: number, data: Buffer | string) =>
        ws.send(Buffer.concat([Buffer.from([channel]), Buffer.from(data)]));
      const [file = "", ...args] = argv;
      const child = spawn(file, args, {
        cwd: container.workingDir,
        env: containerEnv(container),
        stdio: ["ignore", "pipe", "pipe"],
      });
      running.add(child);
      child.stdout?.on("data", (chunk: Buffer) => frame(1, chunk));
      child.stderr?.on("data", (chunk: Buffer) => frame(2, chunk));
      let ended = false;
      const end = (code: number, message?: string) => {
        if (ended) return;
        ended = true;
        running.delete(child);
        const result =
          code === 0
            ? { metadata: {}, status: "Success" }
            : message !== undefined
              ? { metadata: {}, status: "Failure", message, reason: "InternalError" }
              : {
                  metadata: {},
                  status: "Failure",
                  message: `command terminated with non-zero exit code: exit code ${code}`,
                  reason: "NonZeroExitCode",
                  details: { causes: [{ reason: "ExitCode", message: String(code) }] },
                };
        frame(3, JSON.stringify(result));
        ws.close();
      };
      child.on("error", (error) => end(126, `failed to exec in container: ${error.message}`));
      child.on("close", (code, signal) => end(code ?? 128 + (signal === "SIGKILL" ? 9 : 15)));
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    pods,
    requests,
    execProtocols,
    async close() {
      for (const child of running) child.kill("SIGKILL");
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
