import { MemorySessionStore } from "../src/index.js";
import { checkpointContract } from "./support/contract-checkpoints.js";
import { sessionAndLogContract } from "./support/contract-log.js";

const factory = async (deps: ConstructorParameters<typeof MemorySessionStore>[0]) =>
  new MemorySessionStore(deps);

sessionAndLogContract("memory", factory);
checkpointContract("memory", factory);
