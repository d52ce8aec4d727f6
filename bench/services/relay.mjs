#!/usr/bin/env node
// CPU per message the gateway's relay adds to a session's event stream, in
// process: `relayedStream` (packages/platform/src/gateway/guard.ts) over an
// in-memory upstream, read the way the service kit reads a stream (next()
// until done), against the upstream read directly and against the previous
// relay (two async-generator layers: the method's `yield*` and the relay's).
//
//   npx turbo run build --filter=@toad/platform && node bench/services/relay.mjs
import { relayedStream } from "../../packages/platform/dist/gateway/guard.js";

const MESSAGES = 200_000;
async function* upstream() {
  for (let i = 0; i < MESSAGES; i++) yield i;
}
async function* generatorRelay(stream) {
  try {
    yield* stream();
  } catch (error) {
    throw error instanceof Error ? error : new Error(String(error)); // stands for relay(error)
  }
}
async function* generatorMethod() {
  await Promise.resolve(); // the caller check
  yield* generatorRelay(upstream);
}
const ways = {
  "upstream read directly": () => upstream(),
  "relay of two async generators (before)": () => generatorMethod(),
  "relayedStream (now)": () =>
    relayedStream(async () => {
      await Promise.resolve();
      return upstream();
    }),
};
for (let round = 0; round < 3; round++) {
  for (const [name, open] of Object.entries(ways)) {
    const iterator = open()[Symbol.asyncIterator]();
    const before = process.cpuUsage();
    let count = 0;
    while (!(await iterator.next()).done) count++;
    const used = process.cpuUsage(before);
    if (count !== MESSAGES) throw new Error(`${name}: ${count} messages`);
    console.log(
      `${name.padEnd(40)} ${(((used.user + used.system) * 1000) / MESSAGES).toFixed(0).padStart(5)} ns per message`,
    );
  }
}
