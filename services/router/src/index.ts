export { startRouterServer } from "./server.js";
export { type RouterWiring, wireRouter } from "./wiring.js";
