import { describe, expect, it } from "vitest";
import { releasedOnFirst, StartAdmission, type StartKind } from "../src/gateway/start-admission.js";

const never = new AbortController().signal;

/** Asks `admission` for a slot, noting `name` in `admitted` when it gets one. */
function waitFor(admission: StartAdmission, kind: StartKind, name: string, admitted: string[]) {
  return admission.acquire(kind, never).then((release) => {
    admitted.push(name);
    return release;
  });
}
/** Lets every settled promise run its callbacks. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("StartAdmission", () => {
  it("lets `limit` starts through at once; the rest wait, first come first served", async () => {
    const admission = new StartAdmission(2);
    const first = await admission.acquire("create", never);
    const second = await admission.acquire("create", never);
    const admitted: string[] = [];
    const third = waitFor(admission, "create", "third", admitted);
    const fourth = waitFor(admission, "create", "fourth", admitted);
    await settle();
    expect(admitted).toEqual([]);
    expect(admission.counts()).toEqual({ running: 2, waiting: 2 });

    first();
    await settle();
    expect(admitted).toEqual(["third"]);
    expect(admission.counts()).toEqual({ running: 2, waiting: 1 });
    second();
    (await third)();
    (await fourth)();
    expect(admitted).toEqual(["third", "fourth"]);
    expect(admission.counts()).toEqual({ running: 0, waiting: 0 });
  });

  it("hands a free slot to a message before a new session: a start once begun finishes first", async () => {
    const admission = new StartAdmission(1);
    const holding = await admission.acquire("create", never);
    const order: string[] = [];
    const create = waitFor(admission, "create", "create", order);
    const message = waitFor(admission, "message", "message", order);
    holding();
    await settle();
    expect(order).toEqual(["message"]);
    (await message)();
    await create;
    expect(order).toEqual(["message", "create"]);
  });

  it("gives a slot back once however often release is called", async () => {
    const admission = new StartAdmission(1);
    const release = await admission.acquire("message", never);
    release();
    release();
    expect(admission.counts()).toEqual({ running: 0, waiting: 0 });
    const again = await admission.acquire("message", never);
    expect(admission.counts()).toEqual({ running: 1, waiting: 0 });
    again();
  });

  it("drops a waiting start whose caller went away, with the caller's reason", async () => {
    const admission = new StartAdmission(1);
    const holding = await admission.acquire("create", never);
    const caller = new AbortController();
    const waiting = admission.acquire("create", caller.signal);
    await settle();
    caller.abort(new Error("client cancelled"));
    await expect(waiting).rejects.toThrow("client cancelled");
    expect(admission.counts()).toEqual({ running: 1, waiting: 0 });
    holding();
    // The slot is free again, not handed to the start that left.
    expect(admission.counts()).toEqual({ running: 0, waiting: 0 });
    await expect(admission.acquire("create", AbortSignal.abort(new Error("gone")))).rejects.toThrow("gone");
  });

  it("lets everything through at once with a limit of 0, and refuses a limit that is not a count", async () => {
    const admission = new StartAdmission(0);
    const releases = await Promise.all(Array.from({ length: 50 }, () => admission.acquire("create", never)));
    expect(admission.counts()).toEqual({ running: 50, waiting: 0 });
    for (const release of releases) release();
    expect(admission.counts()).toEqual({ running: 0, waiting: 0 });
    expect(() => new StartAdmission(-1)).toThrow("whole number");
    expect(() => new StartAdmission(1.5)).toThrow("whole number");
  });
});

async function* numbers(count: number, failAt?: number) {
  for (let i = 1; i <= count; i++) {
    if (i === failAt) throw new Error(`failed at ${i}`);
    yield i;
  }
}

describe("releasedOnFirst", () => {
  it("releases when the first message arrives and passes every message through", async () => {
    let released = 0;
    const seen: number[] = [];
    for await (const value of releasedOnFirst(numbers(3), () => released++)) {
      seen.push(value);
      expect(released).toBe(1);
    }
    expect(seen).toEqual([1, 2, 3]);
    expect(released).toBe(1);
  });

  it("releases when the stream fails before its first message", async () => {
    let released = 0;
    const reading = (async () => {
      for await (const _ of releasedOnFirst(numbers(3, 1), () => released++)) {
        // never reached
      }
    })();
    await expect(reading).rejects.toThrow("failed at 1");
    expect(released).toBe(1);
  });

  it("releases when the reader stops before reading anything, and stops the stream", async () => {
    let released = 0;
    let stopped = false;
    const source: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => ({ done: false, value: 1 }),
        return: async () => {
          stopped = true;
          return { done: true, value: undefined };
        },
      }),
    };
    const iterator = releasedOnFirst(source, () => released++)[Symbol.asyncIterator]();
    await iterator.return?.();
    expect(released).toBe(1);
    expect(stopped).toBe(true);
  });
});

describe("StartAdmission hold limit", () => {
  it("takes the slot back from a start that holds it past the limit, for the next one", async () => {
    const admission = new StartAdmission(1, 30);
    const stuck = await admission.acquire("create", never);
    const startedAt = performance.now();
    const next = await admission.acquire("create", never);
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(25);
    expect(admission.counts()).toEqual({ running: 1, waiting: 0 });
    stuck(); // late: the slot it had is already someone else's
    expect(admission.counts()).toEqual({ running: 1, waiting: 0 });
    next();
    expect(admission.counts()).toEqual({ running: 0, waiting: 0 });
  });
});
