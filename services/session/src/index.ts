export { recoverPeriodically, startSessionServer } from "./server.js";
export { type SessionParts, type SessionWiring, wireSession } from "./wiring.js";
