import { SessionServiceDefinition } from "./gen/toad/v1/session.js";

/**
 * Messages relayed in their wire form. A hop that only forwards a stream (the
 * gateway relaying a session's events) has no need to decode each message
 * into an object and encode it again: its client hands over the bytes as
 * they arrived, and its server writes them out unchanged.
 */

/** One message still encoded: its protobuf bytes, never parsed. */
export class EncodedMessage {
  constructor(readonly bytes: Uint8Array) {}
}

/** A ts-proto style codec whose messages stay encoded: decode keeps the bytes, encode gives them back. */
export const encodedMessageCodec = {
  encode: (message: EncodedMessage) => ({ finish: () => message.bytes }),
  decode: (input: Uint8Array) => new EncodedMessage(input),
  fromPartial: (message: EncodedMessage) => message,
};

/**
 * SessionService whose event streams (SendMessage, Resume) answer with
 * `EncodedMessage`s: a client made from it relays events without decoding them.
 */
export const SessionServiceRelayDefinition = {
  ...SessionServiceDefinition,
  methods: {
    ...SessionServiceDefinition.methods,
    sendMessage: { ...SessionServiceDefinition.methods.sendMessage, responseType: encodedMessageCodec },
    resume: { ...SessionServiceDefinition.methods.resume, responseType: encodedMessageCodec },
  },
} as const;
