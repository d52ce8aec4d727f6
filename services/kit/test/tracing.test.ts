import { Metadata } from "nice-grpc-common";
import { describe, expect, it } from "vitest";
import { carryTraceContext, setupTracing, startServerSpan } from "../src/tracing.js";

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT_SPAN = "00f067aa0ba902b7";
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-(0[01])$/;

/** The metadata a call's implementation sees after its server span started, for one incoming metadata. */
function carried(start: (metadata: Metadata) => void, incoming: Record<string, string>) {
  const metadata = Metadata(incoming);
  start(metadata);
  const match = TRACEPARENT.exec(metadata.get("traceparent") ?? "");
  return {
    traceId: match?.[1],
    spanId: match?.[2],
    flags: match?.[3],
    tracestate: metadata.get("tracestate"),
  };
}

describe("carryTraceContext (services exporting no spans)", () => {
  const { tracer } = setupTracing("test", {});
  const sdk = (metadata: Metadata) => startServerSpan(tracer, "a/b", metadata).end(0);
  const carry = (metadata: Metadata) => carryTraceContext("a/b", metadata).end(0);

  it.each([
    [
      "a sampled parent with trace state",
      { traceparent: `00-${TRACE}-${PARENT_SPAN}-01`, tracestate: "a=1,b=2" },
    ],
    ["a parent not sampled", { traceparent: `00-${TRACE}-${PARENT_SPAN}-00` }],
    ["no parent", {}],
    ["an invalid parent", { traceparent: `00-${"0".repeat(32)}-${PARENT_SPAN}-01`, tracestate: "a=1" }],
    ["a malformed parent", { traceparent: "garbage" }],
  ])("writes what the SDK writes, under %s", (_case, incoming: Record<string, string>) => {
    const ours = carried(carry, incoming);
    const theirs = carried(sdk, incoming);
    expect(ours.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(ours.spanId).not.toBe(PARENT_SPAN);
    expect(ours.flags).toBe(theirs.flags);
    expect(ours.tracestate).toBe(theirs.tracestate);
    if (incoming.traceparent?.includes(TRACE)) expect([ours.traceId, theirs.traceId]).toEqual([TRACE, TRACE]);
    else expect(ours.traceId).not.toBe(TRACE);
  });

  it("gives every call its own span id and every new trace its own trace id", () => {
    const ids = Array.from({ length: 1_000 }, () => carried(carry, {}));
    expect(new Set(ids.map((id) => id.spanId)).size).toBe(1_000);
    expect(new Set(ids.map((id) => id.traceId)).size).toBe(1_000);
  });
});
