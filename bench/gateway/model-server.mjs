// The scripted model server of the gateway benchmark, as its own process.
//
//   node bench/gateway/model-server.mjs --words 40 --rate 10
//
// @toad/testkit's server answers every request with `--words` words paced at
// `--rate` deltas per second (Anthropic wire). Each word carries a marker. A
// pass-through in front of it rewrites the marker of each text delta with the
// moment that delta leaves for the router (CLOCK_MONOTONIC in µs, which every
// process on this machine shares), so a client can tell, per event, how long
// the platform took to bring it to it. Stamping happens at the socket write,
// after anything this process does, so none of its own cost is counted.

import { createServer, request as httpRequest } from "node:http";
import { startMockLlm } from "@toad/testkit";

const MARKER = "~T";

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}

const WORDS = arg("words", 40);
const RATE = arg("rate", 10);

const text = Array.from({ length: WORDS }, (_, i) => `w${i}${MARKER}`).join(" ");
const llm = await startMockLlm({
  responder: () => ({
    content: [{ type: "text", text }],
    tokensPerSecond: RATE,
    usage: { inputTokens: 1000, outputTokens: WORDS },
  }),
});

const nowMicros = () => String(process.hrtime.bigint() / 1000n);

/** Writes each complete SSE frame as it arrives, stamping text deltas as they go out. */
function relayFrames(upstream, res) {
  let pending = "";
  upstream.setEncoding("utf8");
  upstream.on("data", (chunk) => {
    pending += chunk;
    let end = pending.indexOf("\n\n");
    while (end !== -1) {
      const frame = pending.slice(0, end + 2);
      pending = pending.slice(end + 2);
      res.write(frame.includes('"text_delta"') ? frame.replace(MARKER, `@${nowMicros()}`) : frame);
      end = pending.indexOf("\n\n");
    }
  });
  upstream.on("end", () => res.end(pending));
  upstream.on("error", () => res.destroy());
}

const proxy = createServer((req, res) => {
  const forward = httpRequest(
    {
      host: llm.host,
      port: llm.port,
      method: req.method,
      path: req.url,
      headers: { ...req.headers, host: `${llm.host}:${llm.port}` },
    },
    (upstream) => {
      res.writeHead(upstream.statusCode ?? 502, upstream.headers);
      res.flushHeaders();
      relayFrames(upstream, res);
    },
  );
  forward.on("error", () => res.destroy());
  req.pipe(forward);
});
proxy.on("connection", (socket) => socket.setNoDelay(true));
await new Promise((resolve) => proxy.listen(0, "127.0.0.1", resolve));

process.stdout.write(`READY ${JSON.stringify({ url: `http://127.0.0.1:${proxy.address().port}` })}\n`);
process.on("SIGTERM", () => {
  proxy.closeAllConnections();
  proxy.close();
  void llm.close().finally(() => process.exit(0));
});
