import type { NatsConnection } from "@nats-io/transport-node";
import {
  type BatchRunUpdate,
  BatchServiceDefinition,
  inProcessClient,
  type SubmitRunRequest,
} from "@toad/proto";
import { ClientError, Metadata, Status } from "nice-grpc-common";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BATCH_JOB_KIND,
  type BatchJob,
  connectNats,
  createBatchService,
  createGuard,
  IdentityDirectory,
  MemoryKeyValueStore,
  NatsBatchResults,
  NatsJobQueue,
  OrgAdmission,
  parseOrgLimits,
  RateLimiter,
} from "../src/index.js";
import { startNats, type TestServer } from "./support/servers.js";

/**
 * The gateway's BatchService over real NATS: jobs on the work queue at most
 * the org's limit at a time (the rest wait, none fails), results streamed
 * back once each, and a run invisible to every other org. The workers here
 * are plain job handlers that publish a result after a short while.
 */
let nats: TestServer;
let nc: NatsConnection;
let results: NatsBatchResults;
let jobs: NatsJobQueue<BatchJob>;
const kv = new MemoryKeyValueStore();
const identity = new IdentityDirectory(kv);
const tokens: Record<"acme" | "globex", string> = { acme: "", globex: "" };
const LIMIT = 2;

beforeAll(async () => {
  nats = await startNats();
  nc = await connectNats({ servers: nats.url });
  results = await NatsBatchResults.open(nc);
  jobs = await NatsJobQueue.open<BatchJob>(nc, { kind: BATCH_JOB_KIND, ackWaitMs: 2_000 });
  for (const name of ["acme", "globex"] as const) {
    const org = await identity.createOrg(name);
    const user = await identity.createUser(org.id, `${name}-user`);
    tokens[name] = (await identity.issueToken(user.id, { name: "t", scopes: ["*"] })).token;
  }
});

afterAll(async () => {
  await nc?.drain();
  await nats?.stop();
});

function client(org: keyof typeof tokens) {
  const guard = createGuard(identity, new RateLimiter(kv, { limit: 10_000, windowMs: 60_000 }));
  const service = createBatchService({ guard, kv, jobs, results, admission });
  const inner = inProcessClient(BatchServiceDefinition, service);
  const metadata = Metadata({ authorization: `Bearer ${tokens[org]}` });
  return {
    submitRun: (request: SubmitRunRequest) => inner.submitRun(request, { metadata }),
    watchRun: (runId: string) => inner.watchRun({ runId }, { metadata }),
  };
}
const admission = new OrgAdmission(() => LIMIT);

function request(runId: string, count: number): SubmitRunRequest {
  return {
    runId,
    settings: {
      model: "claude-sonnet-4-5",
      tier: "",
      maxTurns: 0,
      maxCostUsd: 0,
      contextPreload: false,
      testSelection: true,
      useHints: false,
      modelNameOrPath: "toad-claude-sonnet-4-5",
    },
    instances: Array.from({ length: count }, (_, index) => ({
      instanceId: `acme__api-${index + 1}`,
      repo: "acme/api",
      baseCommit: "abc123",
      problemStatement: `issue ${index + 1}`,
      hintsText: "",
    })),
  };
}

async function collect(stream: AsyncIterable<BatchRunUpdate>): Promise<BatchRunUpdate[]> {
  const updates: BatchRunUpdate[] = [];
  for await (const update of stream) updates.push(update);
  return updates;
}

describe("OrgAdmission", () => {
  it("lets at most the limit in per org; the next waits for a release; orgs are apart", async () => {
    const gate = new OrgAdmission((org) => (org === "big" ? 3 : 1));
    const signal = new AbortController().signal;
    const first = await gate.acquire("small", signal);
    let second: (() => void) | undefined;
    const waiting = gate.acquire("small", signal).then((release) => {
      second = release;
    });
    await gate.acquire("big", signal);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(second).toBeUndefined();
    expect(gate.running("small")).toBe(1);
    first();
    first(); // a second call gives back nothing more
    await waiting;
    expect(gate.running("small")).toBe(1);
    const aborted = new AbortController();
    const refused = gate.acquire("small", aborted.signal);
    aborted.abort();
    await expect(refused).rejects.toThrow();
  });

  it("reads per-org limits as org=N pairs and refuses anything else", () => {
    expect(parseOrgLimits("acme=4, globex=16")).toEqual({ acme: 4, globex: 16 });
    expect(parseOrgLimits(undefined)).toEqual({});
    expect(() => parseOrgLimits("acme=0")).toThrow(/org=N/);
  });
});

describe("BatchService on NATS", () => {
  it("keeps an org's instances in flight within its limit; the rest wait and all finish once", async () => {
    let running = 0;
    let peak = 0;
    const handled: string[] = [];
    const worker = await jobs.work(
      async (job, context) => {
        running++;
        peak = Math.max(peak, running);
        handled.push(job.instance.instance_id);
        await new Promise((resolve) => setTimeout(resolve, 150));
        running--;
        await results.publish({
          runId: job.runId,
          orgId: job.orgId,
          instanceId: job.instance.instance_id,
          modelNameOrPath: job.modelNameOrPath,
          outcome: {
            status: "completed",
            exit: "end_turn",
            patch: `patch of ${job.instance.instance_id}`,
            costUsd: 0.01,
            tokens: { input: 1, output: 2, cacheRead: 0, cacheWrite: 0 },
            turns: 2,
            wallMs: 150,
            timings: { workspaceMs: 1, agentMs: 140, diffMs: 1, bookkeepingMs: 1 },
            startedAt: 1,
            endedAt: 2,
          },
          worker: "test",
          attempt: context.attempt,
        });
        return { ok: true };
      },
      { concurrency: 5 },
    );
    try {
      let inFlight = 0;
      let inFlightPeak = 0;
      const updates: BatchRunUpdate[] = [];
      for await (const update of client("acme").submitRun(request("run-limit", 5))) {
        updates.push(update);
        inFlight += update.update?.$case === "admitted" ? 1 : -1;
        inFlightPeak = Math.max(inFlightPeak, inFlight);
      }
      const finished = updates.flatMap((update) =>
        update.update?.$case === "result" ? [update.update.value.instanceId] : [],
      );
      expect(finished.sort()).toEqual([
        "acme__api-1",
        "acme__api-2",
        "acme__api-3",
        "acme__api-4",
        "acme__api-5",
      ]);
      expect(inFlightPeak).toBe(LIMIT);
      expect(peak).toBeLessThanOrEqual(LIMIT);
      expect(handled).toHaveLength(5);
      expect(admission.running("acme")).toBe(0);

      // Submitting the same run again replays its results and queues nothing.
      const again = await collect(client("acme").submitRun(request("run-limit", 5)));
      expect(again.filter((update) => update.update?.$case === "admitted")).toEqual([]);
      expect(again.filter((update) => update.update?.$case === "result")).toHaveLength(5);
      expect(handled).toHaveLength(5);
    } finally {
      await worker.stop();
    }
  });

  it("a run is its org's: another org's token cannot watch it nor take its id", async () => {
    const watched = await collect(client("acme").watchRun("run-limit"));
    expect(watched.map((update) => update.update?.$case)).toEqual(Array(5).fill("result"));
    const refused = await collect(client("globex").watchRun("run-limit")).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ClientError);
    expect((refused as ClientError).code).toBe(Status.NOT_FOUND);
    const taken = await collect(client("globex").submitRun(request("run-limit", 1))).catch(
      (error: unknown) => error,
    );
    expect((taken as ClientError).code).toBe(Status.FAILED_PRECONDITION);
    const unknown = await collect(client("acme").watchRun("no-such-run")).catch((error: unknown) => error);
    expect((unknown as ClientError).code).toBe(Status.NOT_FOUND);
  });

  it("refuses bad input as a whole, before anything is queued", async () => {
    const bad = request("run-bad", 2);
    bad.instances[1] = { ...bad.instances[0], instanceId: "acme__api-1" } as (typeof bad.instances)[number];
    const twice = await collect(client("acme").submitRun(bad)).catch((error: unknown) => error);
    expect((twice as ClientError).code).toBe(Status.INVALID_ARGUMENT);
    expect((twice as ClientError).details).toMatch(/listed twice/);
    const badId = await collect(client("acme").submitRun(request("no spaces!", 1))).catch(
      (error: unknown) => error,
    );
    expect((badId as ClientError).code).toBe(Status.INVALID_ARGUMENT);
    expect(await kv.get("batch-run-org:run-bad")).toBeUndefined();
  });
});
