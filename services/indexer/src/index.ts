export { startIndexerServer } from "./server.js";
