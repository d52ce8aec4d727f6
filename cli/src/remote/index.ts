export { connectGateway, type GatewayConnection, type GatewayTarget, gatewayError } from "./connect.js";
export { type RemoteRunnerOptions, RemoteSessionRunner } from "./remote-runner.js";
