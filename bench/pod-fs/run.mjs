#!/usr/bin/env node
// Per-operation latency of read_file in a pod workspace (the exec file
// system through the fake Kubernetes API server's exec, real processes)
// against the local file system, and the exec file system over a plain
// child process (to separate the exec API's cost from the shell's).
//
//   node bench/pod-fs/run.mjs [--iterations 200]
//
// No build needed: measure.ts is loaded from source through Vite's module
// runner with the "toad-source" condition (as the tests resolve packages).
// The fake API server is loopback, so the numbers are a floor: a real
// cluster adds the network round trips to the API server and the kubelet.

import { fileURLToPath } from "node:url";
import { createServer, createServerModuleRunner } from "vite";

const i = process.argv.indexOf("--iterations");
const iterations = i === -1 ? 200 : Number(process.argv[i + 1]);
const server = await createServer({
  configFile: false,
  logLevel: "error",
  server: { middlewareMode: true, hmr: false, ws: false },
  resolve: { conditions: ["toad-source"] },
  ssr: { resolve: { conditions: ["toad-source"] } },
});
try {
  const runner = createServerModuleRunner(server.environments.ssr, { hmr: false });
  const { measure } = await runner.import(fileURLToPath(new URL("./measure.ts", import.meta.url)));
  await measure(iterations, (line) => process.stdout.write(`${line}\n`));
  await runner.close();
} finally {
  await server.close();
}
