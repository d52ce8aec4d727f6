import type { AgentEvent, AgentEventBody, UserImage } from "@toad/core";
import { eventToProto } from "@toad/core/proto";
import type * as pb from "@toad/proto";
import { SessionRunner } from "@toad/session";
import type { SessionRecord } from "@toad/store";
import { Metadata } from "nice-grpc-common";
import { failedPrecondition, unavailable } from "../errors.js";
import { AsyncQueue } from "../util/async-queue.js";
import { ActiveRun } from "./active-run.js";
import { CLIENT_TOOL_RULES, clientTools } from "./client-tools.js";
import { coalescingModel } from "./coalescing-model.js";
import { delegationFrame } from "./resume.js";
import { runHadEnded } from "./run-records.js";
import type { SessionServiceDeps } from "./session-service.js";
import type { SessionSettings } from "./settings.js";

export interface LiveRun {
  run: ActiveRun;
  done: Promise<unknown>;
}

/** What starting a run needs from the service. */
export interface RunStarter {
  deps: SessionServiceDeps;
  runs: Map<string, LiveRun>;
  now: () => number;
  clientToolTimeoutMs: number;
}

export interface RunSpec {
  /** The session as just read from the store. */
  session: SessionRecord;
  /** Its whole log, when this replica knows it without reading it (a session it just created). */
  log?: AgentEventBody[];
  settings: SessionSettings;
  /** The user's message that started the run (kept in its record). */
  prompt: string;
  /** Images sent with it (kept in its record too, for a recovery that sends the message again). */
  images?: UserImage[];
  /**
   * A recovered run whose message is already in the log: it continues the
   * conversation without sending `prompt` again.
   */
  continues: boolean;
  maxTurns: number;
  /** Identity and trace metadata to carry to the router and on events. */
  metadata: Metadata;
  runId: string;
  recoveries: number;
}

/** Metadata worth keeping with a run record (identity and trace), as plain strings. */
function keptMetadata(metadata: Metadata): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [key, value] of metadata) {
    if (key.startsWith("toad-") || key === "traceparent" || key === "tracestate") {
      const first = value[0];
      if (typeof first === "string") kept[key] = first;
    }
  }
  return kept;
}

/**
 * Starts a run of the agent on this replica and returns the feed of what it
 * streams (log events, and seq-0 frames for calls delegated to the client).
 * The run answers commands on the bus *before* it is recorded as running, so
 * another replica's recovery never mistakes a run starting for an orphan.
 */
export function startRun(starter: RunStarter, spec: RunSpec): AsyncQueue<pb.AgentEvent> {
  const { deps, runs, now } = starter;
  const { session, settings } = spec;
  // Checked again here, synchronously, in case two calls raced past the async check.
  if (runs.has(session.id)) throw failedPrecondition(`session ${session.id} is already running`);
  const headers = deps.headersFor?.(spec.metadata) ?? {};
  const feed = new AsyncQueue<pb.AgentEvent>();
  const publish = (event: AgentEvent) => {
    deps.bus.publish(event, headers).catch((error: unknown) => {
      deps.logger?.warn(`could not publish event ${event.seq} of ${event.sessionId}: ${String(error)}`);
    });
  };
  const run = new ActiveRun(session.id, (call) => {
    const frame = delegationFrame(session.id, call, now());
    feed.push(eventToProto(frame));
    publish(frame);
  });
  const client = settings.toolLocation === "client" || !deps.serverTools;
  const rules = client ? CLIENT_TOOL_RULES : deps.permissionRules;
  const runner = new SessionRunner({
    store: deps.store,
    model: coalescingModel(deps.modelFor(session.id, spec.metadata)),
    tools: async (record, beforeWrite) =>
      client || !deps.serverTools
        ? clientTools((call, signal) => run.delegate(call, signal, starter.clientToolTimeoutMs))
        : deps.serverTools(record, beforeWrite),
    ...(rules !== undefined && { permissionRules: rules }),
    // The client's directory is on the client's disk, not this host's.
    workspaceOnHost: !client,
  });
  const done = (async () => {
    // The subscription becomes known to the server while the runner reads the log; it must be
    // before the run is recorded (beforeRun), and the record before the run appends anything.
    const serving = deps.bus.serveRun(session.id, (message) => run.handle(message));
    serving.catch(() => {}); // its failure surfaces through beforeRun
    try {
      await runner.send(session.id, {
        session,
        ...(spec.log !== undefined && { log: spec.log }),
        beforeRun: async () => {
          await serving;
          await deps.runRecords?.begin({
            runId: spec.runId,
            sessionId: session.id,
            prompt: spec.prompt,
            ...(spec.images !== undefined && { images: spec.images }),
            startSeq: session.lastSeq,
            maxTurns: spec.maxTurns,
            metadata: keptMetadata(spec.metadata),
            startedAt: now(),
            recoveries: spec.recoveries,
          });
        },
        ...(!spec.continues && { prompt: spec.prompt }),
        ...(!spec.continues && spec.images !== undefined && { images: spec.images }),
        signal: run.signal,
        approver: run.approver,
        ...(spec.maxTurns > 0 && { maxTurns: spec.maxTurns }),
        ...(settings.budgetUsd > 0 && { budgetUsd: settings.budgetUsd }),
        onEvent: (event) => {
          feed.push(eventToProto(event));
          publish(event);
        },
      });
      if (run.stoppedForShutdown && deps.runRecords) {
        // Still recorded: another replica (or this one, restarted) continues it; the client resumes there.
        feed.fail(unavailable("the session service is restarting; Resume from the last seq you saw"));
      } else {
        await deps.runRecords?.end(session.id, spec.runId);
        feed.end();
      }
    } catch (error) {
      feed.fail(error);
    } finally {
      runs.delete(session.id);
      const unserve = await serving.catch(() => undefined);
      await unserve?.();
    }
  })();
  runs.set(session.id, { run, done });
  return feed;
}

/**
 * Restarts the runs whose replica died: a recorded run that no replica
 * answers for, claimed by this one. A run that had in fact reached its end
 * is only unrecorded; one cut before its user message was logged starts
 * over with its prompt; any other continues from its log without a new
 * message (a model turn cut mid-stream is asked again, its partial output
 * voided), so the recovery leaves no trace in the conversation.
 */
export async function recoverRuns(starter: RunStarter): Promise<number> {
  const { deps, runs } = starter;
  const records = deps.runRecords;
  if (!records) return 0;
  let recovered = 0;
  for (const record of await records.all()) {
    if (runs.has(record.sessionId)) continue;
    try {
      if ((await deps.bus.command(record.sessionId, { type: "status" })) !== undefined) continue;
    } catch {
      continue; // its replica may only be slow: look again next time
    }
    if (!(await records.claim(record))) continue;
    const session = await deps.store.get(record.sessionId);
    if (!session) {
      await records.end(record.sessionId, record.runId);
      continue;
    }
    const events = await deps.store.events(record.sessionId, { afterSeq: record.startSeq });
    if (runHadEnded(events)) {
      await records.end(record.sessionId, record.runId);
      continue;
    }
    const started = events.some((event) => event.type === "user_message");
    deps.logger?.warn(`recovering the interrupted run of session ${record.sessionId}`);
    startRun(starter, {
      session,
      settings: await deps.settings.load(record.sessionId),
      prompt: record.prompt,
      ...(record.images !== undefined && { images: record.images }),
      continues: started,
      maxTurns: record.maxTurns,
      metadata: Metadata(record.metadata),
      runId: record.runId,
      recoveries: record.recoveries + 1,
    });
    recovered++;
  }
  return recovered;
}
