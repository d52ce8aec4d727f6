#!/usr/bin/env node
// CPU of the service kit's own work per gRPC call, in process, without the
// network or Nest: a controller's unary handler called directly (drain
// tracking, call context, server span, metrics) with grpc-js metadata
// carrying a traceparent, and a fake call. `--kit FILE` compares another
// build of the kit's index.js (e.g. the previous commit's).
//
//   npx turbo run build --filter=@toad/service-kit && node bench/services/call-parts.mjs [--kit FILE]
import { EventEmitter } from "node:events";
import { Metadata as GrpcMetadata } from "@grpc/grpc-js";
import { RouterServiceDefinition } from "@toad/proto";

const args = process.argv.slice(2);
const kitFile = args.indexOf("--kit") >= 0 ? args[args.indexOf("--kit") + 1] : undefined;
const kit = await import(kitFile ? new URL(`file://${kitFile}`).href : "@toad/service-kit");

const metrics = new kit.ServiceMetrics("bench");
const tracing = kit.setupTracing("bench", {});
const hooks = {
  drain: new kit.DrainTracker(),
  metrics,
  tracer: tracing.tracer,
  serverSpan: tracing.serverSpan,
  onInternalError() {},
};
const implementation = {
  complete: async function* () {},
  listModels: async () => ({ models: [] }),
  getCosts: async () => ({ lines: [] }),
};
const Controller = kit.grpcController({ definition: RouterServiceDefinition, implementation }, hooks);
const handler = Controller.prototype.listModels;

class FakeCall extends EventEmitter {
  getPeer() {
    return "ipv4:127.0.0.1:5000";
  }
}
const N = 100_000;
for (let round = 0; round < 5; round++) {
  const before = process.cpuUsage();
  for (let i = 0; i < N; i++) {
    const metadata = new GrpcMetadata();
    metadata.set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    metadata.set("x-toad-org", "acme");
    const call = new FakeCall();
    await handler({}, metadata, call);
    // grpc-js reports every call as cancelled once its status is sent.
    call.emit("cancelled", "cancelled");
  }
  const used = process.cpuUsage(before);
  console.log(`kit work per unary call: ${((used.user + used.system) / N).toFixed(2)} µs`);
}
