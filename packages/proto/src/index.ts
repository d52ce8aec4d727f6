// TOAD's contracts, generated from proto/toad/v1 by ts-proto (`npm run codegen`).
// Each service has a `*ServiceImplementation` (what a server or the embedded
// wiring provides) and a `*ServiceClient` (what callers use): the cluster wiring
// gets a client from nice-grpc, the embedded wiring from `inProcessClient`.

export { EncodedMessage, encodedMessageCodec, SessionServiceRelayDefinition } from "./encoded.js";
export { encodeAgentEvent } from "./event-wire.js";
export * from "./gen/toad/v1/admin.js";
export * from "./gen/toad/v1/batch.js";
export * from "./gen/toad/v1/context.js";
export * from "./gen/toad/v1/events.js";
export * from "./gen/toad/v1/gateway.js";
export * from "./gen/toad/v1/indexer.js";
export * from "./gen/toad/v1/messages.js";
// Every file with a streaming RPC declares this same type; name one to settle the ambiguity.
export type { ServerStreamingMethodResult } from "./gen/toad/v1/router.js";
export * from "./gen/toad/v1/router.js";
export * from "./gen/toad/v1/sandbox.js";
export * from "./gen/toad/v1/session.js";
export { inProcessClient } from "./in-process.js";
