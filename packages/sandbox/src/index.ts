export { BubblewrapDriver, type BubblewrapDriverOptions, bwrapArgs } from "./bwrap-driver.js";
export { commandEnvironment } from "./env.js";
export * from "./k8s/index.js";
export {
  type BubblewrapProbe,
  createLocalSandbox,
  type LocalSandboxOptions,
  probeBubblewrap,
} from "./local.js";
export { commandArgv, type LocalCommand, LocalDriver, type LocalDriverOptions } from "./local-driver.js";
export { HeadTailBuffer, StreamCapture } from "./output-cap.js";
export { findExecutable, isInside, resolveCwd } from "./paths.js";
export { ProcessDriver, type ProcessDriverOptions } from "./process-driver.js";
export * from "./types.js";
