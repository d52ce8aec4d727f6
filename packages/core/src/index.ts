export * from "./conversation.js";
export { EventDecodeError } from "./enum-table.js";
export { assertEvent, isAgentEventType, parseEvent, serializeEvent } from "./event-json.js";
// The proto mapping is `@toad/core/proto`: only services and the gateway client load generated code.
export * from "./events.js";
export { conversationFromEvents, MISSING_TOOL_RESULT } from "./fold-conversation.js";
export * from "./model.js";
export * from "./syntax.js";
export { imageName, isCanonicalBase64, storeImagesOnce } from "./user-images.js";
