import { setTimeout as sleep } from "node:timers/promises";
import { type CompleteRequest, RouterServiceDefinition } from "@toad/proto";
import { type Channel, ClientError, createChannel, createClient, Status } from "nice-grpc";
import { ServerError } from "nice-grpc-common";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningApp, startGrpcApp } from "../src/index.js";

type Stream = (request: CompleteRequest, context: { signal: AbortSignal }) => AsyncIterable<unknown>;

const delta = (text: string) => ({ sessionId: "s1", kind: { $case: "textDelta", value: { text } } });
const textOf = (event: { kind?: { $case: string; value: unknown } }) =>
  event.kind?.$case === "textDelta" ? (event.kind.value as { text: string }).text : undefined;

let app: RunningApp | undefined;
let channel: Channel | undefined;
const internal: string[] = [];

afterEach(async () => {
  channel?.close();
  await app?.shutdown();
  app = undefined;
  internal.length = 0;
});

/** A kit app serving RouterService whose Complete is `complete`, and a client of it. */
async function serve(complete: Stream, options: { drainTimeoutMs?: number; follower?: boolean } = {}) {
  app = await startGrpcApp({
    name: "test",
    port: 0,
    host: "127.0.0.1",
    drainTimeoutMs: options.drainTimeoutMs ?? 1_000,
    bindings: [
      {
        definition: RouterServiceDefinition,
        implementation: { complete, listModels: async () => ({ models: [] }), getCosts: async () => ({}) },
        followers: options.follower ? ["complete"] : [],
      },
    ],
    logger: { info() {}, warn() {}, error: (message: string) => internal.push(message) },
    env: {},
  });
  channel = createChannel(`127.0.0.1:${app.port}`);
  return createClient(RouterServiceDefinition, channel);
}

async function handled(code: string): Promise<number> {
  const text = (await app?.metrics.registry.metrics()) ?? "";
  const line = new RegExp(
    `toad_grpc_server_handled_total\\{[^}]*method="Complete"[^}]*code="${code}"[^}]*\\} (\\d+)`,
  );
  return Number(line.exec(text)?.[1] ?? 0);
}

async function failureOf(run: () => Promise<unknown>): Promise<ClientError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof ClientError) return error;
    throw error;
  }
  throw new Error("the call did not fail");
}

describe("server streams written straight to the call", () => {
  it("delivers every message in order and ends OK, counted once", async () => {
    const client = await serve(async function* () {
      for (let i = 0; i < 3_000; i++) yield delta(`m${i}`);
    });
    const texts: (string | undefined)[] = [];
    for await (const event of client.complete({})) texts.push(textOf(event));
    expect(texts).toEqual(Array.from({ length: 3_000 }, (_, i) => `m${i}`));
    expect(await handled("OK")).toBe(1);
    expect(await app?.metrics.registry.metrics()).toMatch(
      /toad_grpc_server_stream_messages_total\{[^}]*method="Complete"[^}]*\} 3000/,
    );
  });

  it("waits for a client that does not read instead of queueing the whole stream", async () => {
    let produced = 0;
    const big = "x".repeat(32 * 1024);
    const client = await serve(async function* () {
      for (let i = 0; i < 1_000; i++) {
        produced++;
        yield delta(`${i} ${big}`);
      }
    });
    let read = 0;
    for await (const event of client.complete({})) {
      if (read++ === 0) {
        await sleep(300);
        // Bounded by the call's write buffer and the HTTP/2 windows, far below the 1,000 (32 MB) of the stream.
        expect(produced).toBeLessThan(300);
      }
      expect(textOf(event)).toMatch(/^\d+ x+$/);
    }
    expect(read).toBe(1_000);
    expect(await handled("OK")).toBe(1);
  });

  it("sends the messages before a failure, then the failure's status", async () => {
    const client = await serve(async function* (request) {
      yield delta("a");
      yield delta("b");
      if (request.model === "bug") throw new Error("a bug");
      throw new ServerError(Status.NOT_FOUND, "no such model");
    });
    const seen: (string | undefined)[] = [];
    const notFound = await failureOf(async () => {
      for await (const event of client.complete({})) seen.push(textOf(event));
    });
    expect(seen).toEqual(["a", "b"]);
    expect([notFound.code, notFound.details]).toEqual([Status.NOT_FOUND, "no such model"]);
    const bug = await failureOf(async () => {
      for await (const _ of client.complete({ model: "bug" })) {
        // drained
      }
    });
    expect(bug.code).toBe(Status.INTERNAL);
    expect(internal).toEqual(["toad.v1.RouterService/Complete failed"]);
    expect(await handled("NOT_FOUND")).toBe(1);
    expect(await handled("INTERNAL")).toBe(1);
  });

  it("stops the implementation when the client goes away", async () => {
    let stopped: (reason: unknown) => void = () => {};
    const stop = new Promise((resolve) => {
      stopped = resolve;
    });
    const client = await serve(async function* (_request, context) {
      try {
        for (let i = 0; ; i++) {
          yield delta(`m${i}`);
          await sleep(5);
        }
      } finally {
        stopped(context.signal.aborted);
      }
    });
    const abort = new AbortController();
    let read = 0;
    await failureOf(async () => {
      try {
        for await (const _ of client.complete({}, { signal: abort.signal })) if (++read === 3) abort.abort();
      } catch (error) {
        if (error instanceof Error && error.name === "AbortError")
          throw new ClientError("", Status.CANCELLED, "");
        throw error;
      }
    });
    expect(await stop).toBe(true);
    await expect.poll(() => handled("CANCELLED")).toBe(1);
  });

  it("ends a follower stream UNAVAILABLE when the server drains, even while its client is not reading", async () => {
    const big = "y".repeat(64 * 1024);
    const client = await serve(
      async function* (_request, context) {
        while (!context.signal.aborted) yield delta(big);
      },
      { follower: true },
    );
    const failure = failureOf(async () => {
      let read = 0;
      for await (const _ of client.complete({})) {
        // Stop reading after the first message until the server has started draining.
        if (read++ === 0) await sleep(500);
      }
    });
    await sleep(100);
    const shutdown = app?.shutdown();
    const error = await failure;
    expect(error.code).toBe(Status.UNAVAILABLE);
    await shutdown;
    expect(await handled("UNAVAILABLE")).toBe(1);
  });
});
