import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { type ErrorReply, httpFaultReply, midstreamAsHttpReply, serverErrorReply } from "./faults.js";
import { JSON_HEADERS, SSE_HEADERS, serviceHeaders } from "./headers.js";
import { newId } from "./ids.js";
import { isRecord } from "./json.js";
import { planTurn } from "./plan.js";
import { TurnQueue } from "./queue.js";
import { type RenderContext, renderJson, renderStream } from "./render/index.js";
import { loadReplay } from "./replay.js";
import { type RecordedRequest, routeOf } from "./request.js";
import { checkTurn, type MockScript, type ScriptedTurn, type WireFormat } from "./script.js";
import { cutMidway, writeFrames } from "./sse.js";

/** Chooses a reply from the request; tried before the script. Return undefined to fall through. */
export type Responder = (
  request: RecordedRequest,
) => ScriptedTurn | undefined | Promise<ScriptedTurn | undefined>;

export interface MockLlmOptions {
  /** The turns to play, in order (a MockScript or a bare array of turns). */
  script?: MockScript | readonly ScriptedTurn[];
  responder?: Responder;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Ids listed by GET /v1/models. Default ["mock-model"]. */
  models?: string[];
  /** Chat delta field for thinking blocks. Default "reasoning_content"; "none" drops them. */
  chatReasoningField?: "reasoning_content" | "reasoning" | "none";
  /** Pacing for turns that set no tokensPerSecond of their own. Default: as fast as possible. */
  tokensPerSecond?: number;
  /**
   * Rewrites each rendered frame at the moment it is written (after any pacing
   * wait), e.g. a benchmark stamping the send time into a delta's text.
   */
  onFrame?: (text: string) => string;
}

export interface MockLlmServer {
  /** Base URL without a path, e.g. http://127.0.0.1:4321. OpenAI clients want `${url}/v1`. */
  url: string;
  host: string;
  port: number;
  /** Every request received, in order (the array is live). */
  requests: RecordedRequest[];
  /** Appends turns to the end of the script. */
  addTurns(...turns: ScriptedTurn[]): void;
  /** How many scripted turns still have requests left to answer. */
  remainingTurns(): number;
  /** Stops listening and drops every open connection. */
  close(): Promise<void>;
}

/** One request on a wire route, being answered. */
interface Exchange {
  res: ServerResponse;
  wire: WireFormat;
  record: RecordedRequest;
  body: Record<string, unknown>;
  /** Headers every answer carries: request id and rate limits. */
  base: Record<string, string>;
  requestId: string;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function sendJson(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, ...JSON_HEADERS, "content-length": String(Buffer.byteLength(text)) });
  res.end(text);
}

function sendReply(res: ServerResponse, base: Record<string, string>, reply: ErrorReply): void {
  sendJson(res, reply.status, { ...base, ...reply.headers }, reply.body);
}

function modelsBody(req: IncomingMessage, models: string[]): unknown {
  // The Anthropic SDK always sends anthropic-version; the OpenAI SDK never does.
  if (req.headers["anthropic-version"] !== undefined) {
    return {
      data: models.map((id) => ({ type: "model", id, display_name: id, created_at: "2025-01-01T00:00:00Z" })),
      has_more: false,
      first_id: models[0] ?? null,
      last_id: models.at(-1) ?? null,
    };
  }
  return {
    object: "list",
    data: models.map((id) => ({ id, object: "model", created: 1735689600, owned_by: "toad" })),
  };
}

export async function startMockLlm(options: MockLlmOptions = {}): Promise<MockLlmServer> {
  const script = options.script;
  const turns = script === undefined ? [] : "turns" in script ? script.turns : script;
  // Fail at start-up, not at the first request, when a scripted turn is malformed.
  turns.forEach((turn, i) => {
    checkTurn(turn, `turns[${i}]`);
  });
  const queue = new TurnQueue(turns);
  const requests: RecordedRequest[] = [];
  const models = options.models ?? ["mock-model"];

  async function choose(record: RecordedRequest): Promise<ScriptedTurn | undefined> {
    const fromResponder = await options.responder?.(record);
    if (fromResponder !== undefined) {
      checkTurn(fromResponder, "responder turn");
      record.answeredBy = { source: "responder", label: fromResponder.label };
      return fromResponder;
    }
    const taken = queue.take(record);
    if (taken === undefined) return undefined;
    record.answeredBy = { source: "script", turnIndex: taken.index, label: taken.turn.label };
    return taken.turn;
  }

  async function answerTurn(exchange: Exchange, turn: ScriptedTurn): Promise<void> {
    const { res, wire, record, body, base, requestId } = exchange;
    const fault = turn.fault;
    if (fault?.kind === "http") {
      sendReply(res, base, httpFaultReply(wire, fault, requestId));
      return;
    }
    const tokensPerSecond = turn.tokensPerSecond ?? options.tokensPerSecond;
    const cutAfterEvents = fault?.kind === "cut" ? fault.afterEvents : undefined;
    if (turn.replay !== undefined) {
      const replay = await loadReplay(turn.replay);
      res.writeHead(200, { ...base, "content-type": replay.contentType });
      await writeFrames(res, replay.frames, { tokensPerSecond, cutAfterEvents, onFrame: options.onFrame });
      return;
    }
    const plan = planTurn(turn, {
      wire,
      requestModel: typeof body.model === "string" ? body.model : undefined,
      requestBytes: Buffer.byteLength(record.rawBody),
    });
    const ctx: RenderContext = {
      body,
      chatReasoningField: options.chatReasoningField ?? "reasoning_content",
    };
    if (record.stream) {
      const render = renderStream(wire, plan, ctx);
      let frames = render.frames;
      if (fault?.kind === "midstream_error") {
        const at = Math.min(fault.afterEvents ?? render.terminalIndex, frames.length);
        frames = [...frames.slice(0, at), ...render.errorFrames(at, fault.errorType, fault.message)];
      }
      res.writeHead(200, { ...base, ...SSE_HEADERS });
      await writeFrames(res, frames, { tokensPerSecond, cutAfterEvents, onFrame: options.onFrame });
      return;
    }
    if (fault?.kind === "midstream_error") {
      sendReply(res, base, midstreamAsHttpReply(wire, fault, requestId));
      return;
    }
    // A non-streaming answer arrives all at once, after the time its tokens would take.
    if (tokensPerSecond !== undefined) await sleep((plan.usage.outputTokens * 1000) / tokensPerSecond);
    const text = JSON.stringify(renderJson(wire, plan, ctx));
    res.writeHead(200, { ...base, ...JSON_HEADERS, "content-length": String(Buffer.byteLength(text)) });
    if (cutAfterEvents !== undefined) await cutMidway(res, text);
    else res.end(text);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawBody = await readBody(req);
    const method = req.method ?? "GET";
    const path = req.url ?? "/";
    const body = parseJson(rawBody);
    const route = routeOf(method, path);
    const record: RecordedRequest = {
      index: requests.length,
      method,
      path,
      headers: req.headers,
      body,
      rawBody,
      wire: route,
      stream: isRecord(body) && body.stream === true,
      answeredBy: { source: "none" },
      receivedAt: Date.now(),
    };
    requests.push(record);
    const served = requests.length;

    if (route === "models") {
      sendJson(res, 200, {}, modelsBody(req, models));
      return;
    }
    if (route === "count_tokens") {
      const base = serviceHeaders("anthropic", newId.anthropicRequest(), served);
      sendJson(res, 200, base, { input_tokens: Math.max(1, Math.ceil(rawBody.length / 4)) });
      return;
    }
    if (route === "unknown") {
      const wire: WireFormat = req.headers["anthropic-version"] !== undefined ? "anthropic" : "openai-chat";
      const reply = serverErrorReply(
        wire,
        404,
        newId.openaiRequest(),
        `toad mock LLM: no route for ${method} ${path}`,
      );
      sendReply(res, {}, reply);
      return;
    }

    const wire = route;
    const requestId = wire === "anthropic" ? newId.anthropicRequest() : newId.openaiRequest();
    const base = serviceHeaders(wire, requestId, served);
    if (!isRecord(body)) {
      sendReply(
        res,
        base,
        serverErrorReply(wire, 400, requestId, "toad mock LLM: the request body is not a JSON object"),
      );
      return;
    }
    const turn = await choose(record);
    if (turn === undefined) {
      const message =
        queue.remaining() === 0
          ? `toad mock LLM: script exhausted: no scripted turn left for request #${record.index} (${method} ${path})`
          : `toad mock LLM: no scripted turn matches request #${record.index} (${method} ${path}); ${queue.remaining()} turn(s) left`;
      sendReply(res, base, serverErrorReply(wire, 500, requestId, message));
      return;
    }
    await answerTurn({ res, wire, record, body, base, requestId }, turn);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // A bug or an unreadable replay file: say so if we still can, else drop the connection.
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const message = `toad mock LLM: internal error: ${err instanceof Error ? err.message : String(err)}`;
      sendJson(
        res,
        500,
        { "x-should-retry": "false" },
        { error: { message, type: "server_error", param: null, code: null } },
      );
    });
  });

  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(":") ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    host,
    port,
    requests,
    addTurns: (...added) => {
      added.forEach((turn, i) => {
        checkTurn(turn, `added turn ${i}`);
      });
      queue.add(added);
    },
    remainingTurns: () => queue.remaining(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive and half-streamed connections would hold close() open.
        server.closeAllConnections();
      }),
  };
}
