// A job worker in its own process, for the redelivery test: takes jobs of
// kind argv[2] from NATS at argv[3], prints "started <jobId> <attempt>" and
// then works for a minute (the test kills it long before that).
import { connectNats, NatsJobQueue } from "@toad/platform";

const [kind, servers, ackWaitMs] = process.argv.slice(2);
const nc = await connectNats({ servers, name: "test-worker" });
const queue = await NatsJobQueue.open(nc, { kind, ackWaitMs: Number(ackWaitMs) });
await queue.work(async (_payload, context) => {
  process.stdout.write(`started ${context.jobId} ${context.attempt}\n`);
  await new Promise((resolve) => setTimeout(resolve, 60_000));
  return { ok: true };
});
process.stdout.write("ready\n");
