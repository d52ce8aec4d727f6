import {
  AdminServiceDefinition,
  type AgentEvent,
  BatchServiceDefinition,
  ContextServiceDefinition,
  GatewayServiceDefinition,
  RouterServiceDefinition,
  type SessionServiceClient,
  SessionServiceDefinition,
} from "@toad/proto";
import { ClientError, createChannel, createClient, Metadata, type Status } from "nice-grpc";

export const withToken = (token: string) => ({ metadata: Metadata({ authorization: `Bearer ${token}` }) });

export function gatewayClients(address: string) {
  const channel = createChannel(address);
  return {
    gateway: createClient(GatewayServiceDefinition, channel),
    admin: createClient(AdminServiceDefinition, channel),
    batch: createClient(BatchServiceDefinition, channel),
    session: createClient(SessionServiceDefinition, channel),
    router: createClient(RouterServiceDefinition, channel),
    context: createClient(ContextServiceDefinition, channel),
    close: () => channel.close(),
  };
}

/** The status a call ends with ("ok" when it succeeds); a stream is read to its first message. */
export async function statusOf(
  call: Promise<unknown> | (() => AsyncIterable<unknown>),
): Promise<Status | "ok"> {
  try {
    if (typeof call === "function") for await (const _ of call()) break;
    else await call;
    return "ok";
  } catch (error) {
    if (error instanceof ClientError) return error.code;
    throw error;
  }
}

/** Sends a message and answers each tool call delegated to the client; returns the log events streamed. */
export async function drive(
  session: SessionServiceClient,
  sessionId: string,
  text: string,
  token: string,
  answer: (name: string, argumentsJson: string) => string = () => "hello from the client",
): Promise<AgentEvent[]> {
  const events: AgentEvent[] = [];
  for await (const event of session.sendMessage({ sessionId, text }, withToken(token))) {
    if (event.seq === 0 && event.kind?.$case === "toolCallComplete") {
      const { callId, name, argumentsJson } = event.kind.value;
      await session.submitToolResult(
        { sessionId, callId, output: answer(name, argumentsJson), durationMs: 3 },
        withToken(token),
      );
      continue;
    }
    events.push(event);
  }
  return events;
}
