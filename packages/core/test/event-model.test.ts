import * as pb from "@toad/proto";
import { describe, expect, it } from "vitest";
import { eventFromProto, eventToProto } from "../src/event-proto.js";
import { type AgentEvent, EventDecodeError, parseEvent, STOP_REASONS, serializeEvent } from "../src/index.js";
import { SAMPLE_BODIES, sampleEvents } from "./sample-events.js";

function throughWire(event: AgentEvent): AgentEvent {
  const bytes = pb.AgentEvent.encode(eventToProto(event)).finish();
  return eventFromProto(pb.AgentEvent.decode(bytes));
}

describe("core event model ↔ toad.v1.AgentEvent", () => {
  const events = sampleEvents();

  it("has a sample of every event type", () => {
    for (const [type, samples] of Object.entries(SAMPLE_BODIES)) {
      expect(samples.length, type).toBeGreaterThan(0);
    }
    // Every oneof case of the proto is produced by some core event.
    const cases = new Set(events.map((event) => eventToProto(event).kind?.$case));
    expect(cases.size).toBe(Object.keys(SAMPLE_BODIES).length);
  });

  it.each(events.map((event) => [event.type, event] as const))(
    "%s survives proto binary encoding unchanged",
    (_type, event) => {
      expect(throughWire(event)).toStrictEqual(event);
    },
  );

  it.each(events.map((event) => [event.type, event] as const))(
    "%s survives proto JSON encoding unchanged",
    (_type, event) => {
      const json = JSON.stringify(pb.AgentEvent.toJSON(eventToProto(event)));
      expect(eventFromProto(pb.AgentEvent.fromJSON(JSON.parse(json)))).toStrictEqual(event);
    },
  );

  it("maps every stop reason to a distinct proto value", () => {
    const numbers = STOP_REASONS.map((stopReason) => {
      const kind = eventToProto({ ...events[0], type: "turn_end", turn: 1, stopReason } as AgentEvent).kind;
      return kind?.$case === "turnEnd" ? kind.value.stopReason : undefined;
    });
    expect(new Set(numbers).size).toBe(STOP_REASONS.length);
    expect(numbers).not.toContain(pb.StopReason.STOP_REASON_UNSPECIFIED);
  });

  it("rejects a proto event without a kind or with an unspecified enum", () => {
    expect(() => eventFromProto(pb.AgentEvent.fromPartial({ sessionId: "s", seq: 1 }))).toThrow(
      EventDecodeError,
    );
    const unspecified = pb.AgentEvent.fromPartial({
      sessionId: "s",
      seq: 1,
      kind: { $case: "turnEnd", value: { turn: 1, stopReason: pb.StopReason.STOP_REASON_UNSPECIFIED } },
    });
    expect(() => eventFromProto(unspecified)).toThrow(/turn_end.stopReason/);
  });
});

describe("core event model as JSON lines", () => {
  it("round-trips every sample", () => {
    for (const event of sampleEvents()) expect(parseEvent(serializeEvent(event))).toStrictEqual(event);
  });

  it("names the problem in a malformed line", () => {
    expect(() => parseEvent("{")).toThrow(/not JSON/);
    expect(() => parseEvent('{"type":"nope","sessionId":"s","seq":1,"timestamp":1}')).toThrow(
      /unknown event type/,
    );
    expect(() => parseEvent('{"type":"text_delta","sessionId":"s","seq":1,"timestamp":1}')).toThrow(
      /missing field "text"/,
    );
    expect(() =>
      parseEvent('{"type":"turn_end","sessionId":"s","seq":1,"timestamp":1,"turn":1,"stopReason":"done"}'),
    ).toThrow(/expected one of end_turn/);
    expect(() =>
      parseEvent('{"type":"text_delta","sessionId":"s","seq":"1","timestamp":1,"text":"x"}'),
    ).toThrow(/seq: expected number/);
    expect(() =>
      parseEvent('{"type":"text_delta","sessionId":"s","seq":1,"timestamp":1,"text":"x","extra":1}'),
    ).toThrow(/unexpected field "extra"/);
  });

  it("checks a user message's images field by field", () => {
    const line = (images: unknown) =>
      JSON.stringify({ type: "user_message", sessionId: "s", seq: 1, timestamp: 1, text: "x", images });
    const png = { mediaType: "image/png", sha256: "f".repeat(64), dataBase64: "iVBORw0KGgo=" };
    expect(parseEvent(line([png]))).toMatchObject({ images: [png] });
    expect(() => parseEvent(line([]))).toThrow(/user_message.images: expected a non-empty list/);
    expect(() => parseEvent(line([{ ...png, sha256: "F".repeat(64) }]))).toThrow(
      /user_message.images\[0\]: sha256 must be 64 lower-case hex digits/,
    );
    expect(() => parseEvent(line([{ ...png, mediaType: "text/plain" }]))).toThrow(/image\/\* type/);
    expect(() => parseEvent(line([{ ...png, dataBase64: "iVBORw0KGgo" }]))).toThrow(/canonical base64/);
    expect(() => parseEvent(line([{ ...png, dataBase64: "iVBO Rw0K" }]))).toThrow(/canonical base64/);
    expect(() => parseEvent(line([{ ...png, width: 3 }]))).toThrow(/images\[0\]: unexpected field "width"/);
    expect(() => parseEvent(line([{ mediaType: "image/png" }]))).toThrow(/missing field "sha256"/);
    expect(() => parseEvent(line(["x.png"]))).toThrow(/images\[0\]: expected an object/);
  });
});
