export { startContextServer } from "./server.js";
