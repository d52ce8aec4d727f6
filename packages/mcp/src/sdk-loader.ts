/** The MCP SDK's runtime parts (see `sdk.ts`), as a type: importing this module loads nothing. */
export type Sdk = typeof import("./sdk.js");

let loading: Promise<Sdk> | undefined;

/**
 * Imports the SDK once, on the first server start, so a TOAD with no MCP
 * servers never pays for it (a cached dynamic import).
 */
export function loadSdk(): Promise<Sdk> {
  loading ??= import("./sdk.js");
  return loading;
}
