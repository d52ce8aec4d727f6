import type { SessionRecord } from "@toad/store";
import { describe, expect, it } from "vitest";
import { FreshSessions } from "../src/session/fresh-sessions.js";

const record = (id: string, lastSeq: number): SessionRecord => ({
  id,
  title: "",
  cwd: "/repo",
  model: "m",
  permissionMode: "ask",
  createdAt: 1,
  updatedAt: 1,
  lastSeq,
  costUsd: 0,
});
const started = { type: "session_started", cwd: "/repo", model: "m", permissionMode: "ask" } as const;

describe("sessions this replica just created", () => {
  it("hands out a log once, and only while the store's record still ends where it did", () => {
    const fresh = new FreshSessions();
    fresh.remember({ session: record("a", 0), log: [started], lastSeq: 1 });
    fresh.remember({ session: record("b", 0), log: [started], lastSeq: 1 });
    expect(fresh.has("a")).toBe(true);
    expect(fresh.take(record("a", 1))).toEqual([started]);
    expect(fresh.has("a")).toBe(false);
    expect(fresh.take(record("a", 1))).toBeUndefined();
    // Something was appended since (another replica ran it): the store's log is the truth.
    expect(fresh.take(record("b", 3))).toBeUndefined();
    expect(fresh.has("b")).toBe(false);
    expect(fresh.take(record("unknown", 1))).toBeUndefined();
  });
});
