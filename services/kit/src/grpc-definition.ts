import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as protoLoader from "@grpc/proto-loader";
import { AgentEvent, EncodedMessage, encodeAgentEvent } from "@toad/proto";

/** What ts-proto generates per message: what the wire codec needs. */
export interface MessageCodec {
  encode(message: never): { finish(): Uint8Array };
  decode(input: Uint8Array): unknown;
  fromPartial(object: never): unknown;
}

export interface MethodShape {
  readonly name: string;
  readonly requestType: MessageCodec;
  readonly responseType: MessageCodec;
  readonly requestStream: boolean;
  readonly responseStream: boolean;
}

/** A ts-proto generic service definition (`SessionServiceDefinition`, …). */
export interface ServiceShape {
  readonly name: string;
  readonly fullName: string;
  readonly methods: Readonly<Record<string, MethodShape>>;
}

/** The repository's proto/ folder (services/kit/{src,dist} → ../../../proto); TOAD_PROTO_DIR overrides it. */
export function defaultProtoDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.TOAD_PROTO_DIR ?? fileURLToPath(new URL("../../../proto", import.meta.url));
}

export class ContractMismatchError extends Error {
  override readonly name = "ContractMismatchError";
}

/**
 * The gRPC package definition of the services an app serves. The contract is
 * read from proto/toad/v1/*.proto with @grpc/proto-loader (service names,
 * method paths, streaming); each message is (de)serialised by its ts-proto
 * codec, so handlers get and return exactly the `*ServiceImplementation`
 * types. A method missing on either side, or streaming differently, fails
 * at startup rather than on the first call.
 */
export function packageDefinitionFor(
  services: readonly ServiceShape[],
  protoDir: string = defaultProtoDir(),
): protoLoader.PackageDefinition {
  const dir = join(protoDir, "toad", "v1");
  const files = readdirSync(dir)
    .filter((file) => file.endsWith(".proto"))
    .map((file) => join("toad", "v1", file));
  const loaded = protoLoader.loadSync(files, { includeDirs: [protoDir], keepCase: false });
  const definition: protoLoader.PackageDefinition = {};
  for (const service of services) {
    const fromProto = loaded[service.fullName];
    if (fromProto === undefined || "format" in fromProto) {
      throw new ContractMismatchError(`${service.fullName} is not a service in ${dir}`);
    }
    const methods = fromProto as protoLoader.ServiceDefinition;
    const shapes = new Map(Object.values(service.methods).map((method) => [method.name, method]));
    const bound: protoLoader.ServiceDefinition = {};
    for (const [name, method] of Object.entries(methods)) {
      const shape = shapes.get(name);
      if (!shape)
        throw new ContractMismatchError(`${method.path} has no generated twin: run npm run codegen`);
      if (shape.requestStream !== method.requestStream || shape.responseStream !== method.responseStream) {
        throw new ContractMismatchError(
          `${method.path} streams differently in proto/ and in the generated code`,
        );
      }
      shapes.delete(name);
      bound[name] = {
        ...method,
        requestSerialize: encoder(shape.requestType),
        requestDeserialize: (bytes: Buffer) => shape.requestType.decode(bytes) as object,
        responseSerialize: encoder(shape.responseType),
        responseDeserialize: (bytes: Buffer) => shape.responseType.decode(bytes) as object,
      };
    }
    if (shapes.size > 0) {
      throw new ContractMismatchError(`${service.fullName}: ${[...shapes.keys()].join(", ")} not in proto/`);
    }
    definition[service.fullName] = bound;
  }
  return definition;
}

/**
 * Partial objects (what implementations return) are completed before encoding, as nice-grpc does;
 * a message relayed still encoded (`EncodedMessage`, the gateway's event streams) goes out as is.
 */
function encoder(type: MessageCodec): (value: object) => Buffer {
  // Events, what streams carry, have a faster encoder that writes the same bytes.
  const encode =
    (type as unknown) === AgentEvent
      ? (value: object) => encodeAgentEvent(value)
      : (value: object) => type.encode(type.fromPartial(value as never) as never).finish();
  return (value) => {
    const bytes = value instanceof EncodedMessage ? value.bytes : encode(value);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  };
}
