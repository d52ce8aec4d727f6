// gRPC calls on node:http2 with nothing between the socket and the caller: the
// benchmark's clients stand in for developers' machines elsewhere but share
// this machine's two cores, so what they spend per streamed event is CPU the
// platform under test does not get. The wire is what any gRPC client sends:
// POST with `content-type: application/grpc` and `te: trailers`, messages
// length-prefixed (1 flag byte, 4 bytes big-endian length), the status in
// `grpc-status`/`grpc-message` trailers (or in the headers of a trailers-only
// answer). No compression, no retries, no deadlines.

import { connect } from "node:http2";

/** A failed call: its gRPC status code and message. */
export class GrpcCallError extends Error {
  constructor(code, details) {
    super(`${code} ${details}`);
    this.code = code;
  }
}

/**
 * A connection of its own to `address` (host:port), for calls carrying
 * `token`; it connects on the first call, as a client starting then would.
 */
export function openConnection(address, token) {
  let session;
  const connected = () => {
    if (!session) {
      session = connect(`http://${address}`);
      session.on("error", () => {}); // a call on it fails with the error instead
    }
    return session;
  };
  const headersFor = (path) => ({
    ":method": "POST",
    ":path": path,
    "content-type": "application/grpc",
    te: "trailers",
    authorization: `Bearer ${token}`,
  });

  /**
   * Sends one request message; calls `onMessage` with each response message's
   * bytes; resolves when the call ends with status 0.
   */
  function call(path, requestBytes, onMessage) {
    return new Promise((resolve, reject) => {
      const stream = connected().request(headersFor(path));
      let status;
      let details = "";
      const noteStatus = (headers) => {
        if (headers["grpc-status"] === undefined) return;
        status = Number(headers["grpc-status"]);
        details = decodeURIComponent(String(headers["grpc-message"] ?? ""));
      };
      stream.on("response", noteStatus);
      stream.on("trailers", noteStatus);
      let pending; // the start of a message split across DATA frames
      stream.on("data", (chunk) => {
        let bytes = pending ? Buffer.concat([pending, chunk]) : chunk;
        pending = undefined;
        while (bytes.length >= 5) {
          const length = bytes.readUInt32BE(1);
          if (bytes.length < 5 + length) break;
          onMessage(bytes.subarray(5, 5 + length));
          bytes = bytes.subarray(5 + length);
        }
        if (bytes.length > 0) pending = bytes;
      });
      stream.on("error", reject);
      stream.on("close", () => {
        if (status === 0) resolve();
        else reject(new GrpcCallError(status ?? "no status", details || `stream closed (${stream.rstCode})`));
      });
      const framed = Buffer.allocUnsafe(5 + requestBytes.length);
      framed[0] = 0;
      framed.writeUInt32BE(requestBytes.length, 1);
      framed.set(requestBytes, 5);
      stream.end(framed);
    });
  }

  return { call, close: () => session?.close() };
}
