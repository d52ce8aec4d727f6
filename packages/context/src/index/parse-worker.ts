import { parentPort } from "node:worker_threads";
import { analyzeFile } from "../parse/analyze.js";
import { TreeSitterRuntime } from "../parse/runtime.js";
import { recordFromAnalysis, recordFromText } from "./record.js";

export interface ParseRequest {
  id: number;
  path: string;
  content: string;
  hash: string;
}

export type ParseReply =
  | { id: number; ok: true; record: import("../store/index-store.js").FileRecord }
  | { id: number; ok: false; message: string };

// Runs in a worker thread: parse, extract, chunk and tokenise one file at a time.
const runtime = new TreeSitterRuntime();
const port = parentPort;
port?.on("message", async (request: ParseRequest) => {
  try {
    const analysis = await analyzeFile(runtime, request.path, request.content);
    const record = analysis
      ? recordFromAnalysis(analysis, request.content, request.hash)
      : recordFromText(request.path, request.content, request.hash);
    port.postMessage({ id: request.id, ok: true, record } satisfies ParseReply);
  } catch (error) {
    port.postMessage({
      id: request.id,
      ok: false,
      message: error instanceof Error ? error.message : String(error),
    });
  }
});
