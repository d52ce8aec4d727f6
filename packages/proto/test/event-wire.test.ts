import { describe, expect, it } from "vitest";
import {
  AgentEvent,
  EncodedMessage,
  encodeAgentEvent,
  SessionServiceDefinition,
  SessionServiceRelayDefinition,
} from "../src/index.js";

const generated = (event: Parameters<typeof AgentEvent.fromPartial>[0]) =>
  Buffer.from(AgentEvent.encode(AgentEvent.fromPartial(event)).finish());

describe("encodeAgentEvent", () => {
  const textDeltas = [
    {
      sessionId: "3f1c2a9e-1111-2222-3333-444455556666",
      seq: 12,
      timestampMs: 1_764_000_000_000,
      text: "w1 ",
    },
    { sessionId: "s", seq: 1, timestampMs: 1, text: "" },
    { sessionId: "", seq: 0, timestampMs: 0, text: "no envelope" },
    { sessionId: "é-ü", seq: 300, timestampMs: 2 ** 53 - 1, text: "ünïcødé ✓ 😀".repeat(40) },
    { sessionId: "long", seq: 127, timestampMs: 128, text: "x".repeat(20_000) },
  ];

  it.each(textDeltas)("writes a text delta byte for byte as the generated code (%#)", (delta) => {
    const event = { ...delta, kind: { $case: "textDelta" as const, value: { text: delta.text } } };
    const bytes = Buffer.from(encodeAgentEvent(event));
    expect(bytes.equals(generated(event))).toBe(true);
    expect(AgentEvent.decode(bytes)).toEqual(AgentEvent.fromPartial(event));
  });

  it("gives other events, and partial or out-of-range ones, to the generated code", () => {
    const events = [
      { sessionId: "s", seq: 2, timestampMs: 5, kind: { $case: "turnEnd" as const, value: { turn: 1 } } },
      { seq: 3, kind: { $case: "textDelta" as const, value: { text: "partial" } } },
      {
        sessionId: "s",
        seq: 4,
        timestampMs: -5,
        kind: { $case: "textDelta" as const, value: { text: "t" } },
      },
      { sessionId: "s", seq: 5, kind: { $case: "textDelta" as const, value: {} } },
      {},
    ];
    for (const event of events) {
      expect(Buffer.from(encodeAgentEvent(event)).equals(generated(event))).toBe(true);
    }
  });
});

describe("SessionServiceRelayDefinition", () => {
  it("keeps event stream responses as their bytes and changes nothing else", () => {
    const bytes = generated({ sessionId: "s", seq: 1, kind: { $case: "textDelta", value: { text: "hi" } } });
    const { sendMessage, resume, getSession } = SessionServiceRelayDefinition.methods;
    for (const method of [sendMessage, resume]) {
      const relayed = method.responseType.decode(bytes);
      expect(relayed).toBeInstanceOf(EncodedMessage);
      expect(method.responseType.encode(relayed).finish()).toBe(bytes);
    }
    expect(getSession).toBe(SessionServiceDefinition.methods.getSession);
    expect(sendMessage.requestType).toBe(SessionServiceDefinition.methods.sendMessage.requestType);
  });
});
