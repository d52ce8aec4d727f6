export { BubblewrapDriver, type BubblewrapDriverOptions, bwrapArgs } from "./bwrap-driver.js";
export { commandEnvironment } from "./env.js";
export {
  type BubblewrapProbe,
  createLocalSandbox,
  type LocalSandboxOptions,
  probeBubblewrap,
} from "./local.js";
export { HeadTailBuffer } from "./output-cap.js";
export { findExecutable, isInside, resolveCwd } from "./paths.js";
export { commandArgv, ProcessDriver, type ProcessDriverOptions } from "./process-driver.js";
export * from "./types.js";
