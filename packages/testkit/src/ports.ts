import { createServer } from "node:net";

/**
 * Ports the OS hands out on its own (listen(0), outbound connections) come
 * from the ephemeral range (32768-60999 on Linux). A test that asks for a
 * free port there and binds it a moment later can lose it to a connection
 * made in between; ports chosen below that range are only ever taken by
 * someone choosing them.
 */
const LOW = 20_000;
const HIGH = 32_000;

function isFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** A port free right now on every interface, outside the ephemeral range, for a process a test starts. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if ((await isFree(port, "0.0.0.0")) && (await isFree(port, "127.0.0.1"))) return port;
  }
  throw new Error(`no free port found between ${LOW} and ${HIGH}`);
}
