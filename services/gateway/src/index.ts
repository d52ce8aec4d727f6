export { startGatewayServer } from "./server.js";
export { type GatewayParts, type GatewayWiring, wireGateway } from "./wiring.js";
