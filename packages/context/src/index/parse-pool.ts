import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { FileRecord } from "../store/index-store.js";
import type { ParseReply, ParseRequest } from "./parse-worker.js";

/** Parses files on worker threads; the caller keeps writing to SQLite on its own thread. */
export class ParsePool {
  private readonly workers: Worker[];
  private readonly pending = new Map<
    number,
    { resolve: (r: FileRecord) => void; reject: (e: Error) => void }
  >();
  private readonly load: number[];
  private nextId = 1;
  private failure: Error | undefined;

  private constructor(script: URL, size: number) {
    // Flags like --input-type or -e of the parent do not apply to a worker script.
    const execArgv = process.execArgv.filter((a) => !/^(--input-type|-e|--eval|-p|--print)/.test(a));
    this.workers = Array.from({ length: size }, () => new Worker(script, { execArgv }));
    this.load = this.workers.map(() => 0);
    this.workers.forEach((worker, index) => {
      worker.on("message", (reply: ParseReply) => {
        this.load[index] = (this.load[index] ?? 1) - 1;
        const waiter = this.pending.get(reply.id);
        this.pending.delete(reply.id);
        if (!waiter) return;
        if (reply.ok) waiter.resolve(reply.record);
        else waiter.reject(new Error(reply.message));
      });
      const fail = (error: Error) => {
        this.failure ??= error;
        for (const waiter of this.pending.values()) waiter.reject(error);
        this.pending.clear();
      };
      worker.on("error", fail);
      worker.on("exit", (code) => {
        if (!this.closing) fail(new Error(`parser worker exited with code ${code}`));
      });
    });
  }

  /**
   * A pool of `size` workers, or undefined when workers cannot run here: the
   * worker is compiled JavaScript, so running from TypeScript sources (tests
   * under vitest) parses on the calling thread instead.
   */
  static create(size: number): ParsePool | undefined {
    const script = new URL("./parse-worker.js", import.meta.url);
    if (size < 1 || !import.meta.url.endsWith(".js") || !existsSync(fileURLToPath(script))) return undefined;
    return new ParsePool(script, size);
  }

  private closing = false;

  /** False once a worker died: callers then parse on their own thread. */
  get alive(): boolean {
    return this.failure === undefined;
  }

  parse(path: string, content: string, hash: string): Promise<FileRecord> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    let target = 0;
    for (let i = 1; i < this.workers.length; i++)
      if ((this.load[i] ?? 0) < (this.load[target] ?? 0)) target = i;
    this.load[target] = (this.load[target] ?? 0) + 1;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.workers[target]?.postMessage({ id, path, content, hash } satisfies ParseRequest);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
