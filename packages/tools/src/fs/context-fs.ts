import type { ToolContext } from "../types.js";
import { LOCAL_FS } from "./local-fs.js";
import type { WorkspaceFs } from "./port.js";

/** The file system a call works on: the context's, else this machine's (`local`, which carries the search engine). */
export function workspaceFsOf(ctx: Pick<ToolContext, "fs">, local: WorkspaceFs = LOCAL_FS): WorkspaceFs {
  return ctx.fs ?? local;
}
