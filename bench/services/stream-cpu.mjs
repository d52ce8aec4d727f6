#!/usr/bin/env node
// Server CPU per gRPC call and per streamed message of a service-kit app
// (services/kit: Nest gRPC transport, drain tracking, tracing span, metrics).
//
//   npx turbo run build --filter=@toad/service-kit && node bench/services/stream-cpu.mjs \
//     [--streams 100] [--messages 200] [--calls 2000] [--rounds 3] [--only unary|short|streamed] [--profile DIR] [--kit FILE]
//
// The server runs in a child process: RouterService served by startGrpcApp
// with a trivial implementation (Complete streams `--messages` text-delta
// events, as the router does; ListModels answers at once). This process is
// the nice-grpc client on loopback. The child's process.cpuUsage (user +
// system) around each phase, divided by what the phase did:
// - unary: `--calls` ListModels calls, 50 in flight;
// - short stream: `--calls` Complete calls of one message, 50 in flight;
// - streamed: `--streams` concurrent Complete calls of `--messages` messages
//   each; µs per message (the call starts are included, amortised).
// Each phase runs `--rounds` times; the minimum is printed (the machine is shared).
import { fork } from "node:child_process";
import { numberArg } from "../args.mjs";

const args = process.argv.slice(2);

if (args[0] === "--server") await serve();
else await drive();

async function serve() {
  const kit = args[1];
  const { startGrpcApp } = await import(
    kit && kit !== "raw" ? new URL(`file://${kit}`).href : "@toad/service-kit"
  );
  const { RouterServiceDefinition } = await import("@toad/proto");
  const implementation = {
    async *complete(request) {
      const count = request.maxOutputTokens;
      for (let seq = 1; seq <= count; seq++) {
        yield {
          sessionId: request.sessionId,
          seq: 0,
          timestampMs: Date.now(),
          kind: { $case: "textDelta", value: { text: `word ${seq} ` } },
        };
      }
    },
    async listModels() {
      return { models: [] };
    },
    async getCosts() {
      return { lines: [] };
    },
  };
  if (kit === "raw") {
    // The floor: the same contract and codecs on a bare grpc-js server (no Nest, no kit hooks).
    const grpc = await import("@grpc/grpc-js");
    const { packageDefinitionFor } = await import("@toad/service-kit");
    const definition = packageDefinitionFor([RouterServiceDefinition])["toad.v1.RouterService"];
    const server = new grpc.Server();
    server.addService(definition, {
      complete: async (call) => {
        for await (const event of implementation.complete(call.request)) {
          if (!call.write(event)) await new Promise((resolve) => call.once("drain", resolve));
        }
        call.end();
      },
      listModels: (_call, callback) => callback(null, { models: [] }),
      getCosts: (_call, callback) => callback(null, { lines: [] }),
    });
    const port = await new Promise((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    process.on("message", (message) => {
      if (message === "cpu") {
        const { user, system } = process.cpuUsage();
        process.send({ cpu: user + system });
      } else if (message === "stop") server.tryShutdown(() => process.exit(0));
    });
    process.send({ port });
    return;
  }
  const app = await startGrpcApp({
    name: "bench",
    port: 0,
    host: "127.0.0.1",
    bindings: [{ definition: RouterServiceDefinition, implementation }],
    logger: { info() {}, warn() {}, error: (m, f) => console.error(m, f) },
    env: {},
  });
  process.on("message", (message) => {
    if (message === "cpu") {
      const { user, system } = process.cpuUsage();
      process.send({ cpu: user + system });
    } else if (message === "stop") {
      void app.shutdown().then(() => process.exit(0));
    }
  });
  process.send({ port: app.port });
}

async function drive() {
  const streams = numberArg("streams", 100);
  const messages = numberArg("messages", 200);
  const calls = numberArg("calls", 2000);
  const rounds = numberArg("rounds", 3);
  const { createChannel, createClient } = await import("nice-grpc");
  const { RouterServiceDefinition } = await import("@toad/proto");

  // --profile DIR: the server writes a V8 CPU profile there when it stops.
  const profile = args.indexOf("--profile") >= 0 ? args[args.indexOf("--profile") + 1] : undefined;
  // --kit FILE: another build of the kit's index.js (e.g. the previous commit's) to compare with;
  // --kit raw: a bare grpc-js server with the same codecs (what Nest and the kit add is the difference).
  const kit = args.indexOf("--kit") >= 0 ? args[args.indexOf("--kit") + 1] : "";
  const child = fork(new URL(import.meta.url).pathname, ["--server", kit], {
    stdio: "inherit",
    execArgv: profile ? ["--cpu-prof", `--cpu-prof-dir=${profile}`] : [],
  });
  const replies = [];
  const waiters = [];
  child.on("message", (message) => {
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else replies.push(message);
  });
  const next = () =>
    new Promise((resolve) => (replies.length ? resolve(replies.shift()) : waiters.push(resolve)));
  const { port } = await next();
  const cpu = async () => {
    child.send("cpu");
    return (await next()).cpu;
  };

  const channel = createChannel(`127.0.0.1:${port}`);
  const client = createClient(RouterServiceDefinition, channel);

  const pool = async (total, inFlight, one) => {
    let started = 0;
    await Promise.all(
      Array.from({ length: Math.min(inFlight, total) }, async () => {
        while (started < total) {
          started++;
          await one();
        }
      }),
    );
  };
  const stream = async (count) => {
    let seen = 0;
    for await (const _ of client.complete({ sessionId: "s-bench", maxOutputTokens: count })) seen++;
    if (seen !== count) throw new Error(`expected ${count} messages, got ${seen}`);
  };
  const phases = {
    unary: { per: calls, unit: "call", run: () => pool(calls, 50, () => client.listModels({})) },
    "short stream": { per: calls, unit: "call", run: () => pool(calls, 50, () => stream(1)) },
    streamed: {
      per: streams * messages,
      unit: "message",
      run: () => Promise.all(Array.from({ length: streams }, () => stream(messages))),
    },
  };

  // Warm-up: JIT, connection, lazily built handlers.
  await pool(500, 50, () => client.listModels({}));
  await pool(500, 50, () => stream(5));

  // --only NAME: run one phase (e.g. to profile it alone).
  const only = args.indexOf("--only") >= 0 ? args[args.indexOf("--only") + 1] : undefined;
  if (only) for (const name of Object.keys(phases)) if (!name.startsWith(only)) delete phases[name];
  const best = {};
  for (let round = 0; round < rounds; round++) {
    for (const [name, phase] of Object.entries(phases)) {
      const before = await cpu();
      const wall = performance.now();
      await phase.run();
      const used = (await cpu()) - before;
      const us = used / phase.per;
      best[name] = Math.min(best[name] ?? Number.POSITIVE_INFINITY, us);
      console.log(
        `round ${round + 1} ${name.padEnd(12)} ${us.toFixed(1).padStart(7)} µs server CPU per ${phase.unit}` +
          `  (${(performance.now() - wall).toFixed(0)} ms wall)`,
      );
    }
  }
  console.log("\nbest of rounds (server CPU):");
  for (const [name, phase] of Object.entries(phases))
    console.log(`  ${name.padEnd(12)} ${best[name].toFixed(1).padStart(7)} µs per ${phase.unit}`);
  channel.close();
  child.send("stop");
  await new Promise((resolve) => child.on("exit", resolve));
}
