import { ServerGrpc } from "@nestjs/microservices";
import type { DirectHandler } from "./controller.js";

type GrpcOptions = ConstructorParameters<typeof ServerGrpc>[0];
type ServiceClass = { prototype: Record<string, { path?: string } | undefined> };

/**
 * Nest's gRPC transport, with the kit's own handlers handed to grpc-js
 * directly. Nest still loads the contract, binds the port, serves health and
 * runs the app's lifecycle; per call, only the kit's handler runs: Nest's
 * per-call pipeline (a copy of the call object, the rpc context creator,
 * interceptors, exception filters, an Observable per call) did nothing the
 * kit needs and cost CPU on every call. The handlers keep the kit's drain,
 * metrics, tracing and status mapping (see `grpcController`).
 */
export class KitGrpcServer extends ServerGrpc {
  constructor(
    options: GrpcOptions,
    private readonly direct: ReadonlyMap<string, DirectHandler>,
  ) {
    super(options);
  }

  override async createService(grpcService: unknown, name: string): Promise<Record<string, unknown>> {
    const service: Record<string, unknown> = await super.createService(grpcService, name);
    const { prototype } = grpcService as ServiceClass;
    for (const methodName of Object.keys(service)) {
      const path = prototype[methodName]?.path;
      const handler = path === undefined ? undefined : this.direct.get(path);
      if (handler) service[methodName] = handler;
    }
    return service;
  }
}
