// The scripted model server of the gateway benchmark, as its own process.
//
//   node bench/gateway/model-server.mjs --words 40 --rate 10
//
// @toad/testkit's server answers every request with `--words` words paced at
// `--rate` deltas per second (Anthropic wire). Each word carries a marker that
// the server's onFrame hook replaces, as each text delta is written to the
// router's socket (after the pacing wait), with that moment (CLOCK_MONOTONIC in
// µs, which every process on this machine shares), so a client can tell, per
// event, how long the platform took to bring it to it.

import { startMockLlm } from "@toad/testkit";
import { numberArg } from "../args.mjs";

const MARKER = "~T";

const WORDS = numberArg("words", 40);
const RATE = numberArg("rate", 10);

const text = Array.from({ length: WORDS }, (_, i) => `w${i}${MARKER}`).join(" ");
const nowMicros = () => String(process.hrtime.bigint() / 1000n);
const llm = await startMockLlm({
  responder: () => ({
    content: [{ type: "text", text }],
    tokensPerSecond: RATE,
    usage: { inputTokens: 1000, outputTokens: WORDS },
  }),
  onFrame: (frame) => (frame.includes('"text_delta"') ? frame.replace(MARKER, `@${nowMicros()}`) : frame),
});

process.stdout.write(`READY ${JSON.stringify({ url: llm.url })}\n`);
process.on("SIGTERM", () => {
  void llm.close().finally(() => process.exit(0));
});
