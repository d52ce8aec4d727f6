import type * as pb from "@toad/proto";
import type { CallContext } from "nice-grpc-common";
import type { Principal } from "../auth/principal.js";
import { notFound, unimplemented } from "../errors.js";
import { type Guard, relayed, upstreamMetadata } from "./guard.js";
import type { SessionOwnership } from "./ownership.js";

const options = (principal: Principal, context: CallContext) => ({
  metadata: upstreamMetadata(principal, context),
  signal: context.signal,
});

/**
 * RouterService as the gateway serves it: models and costs. Costs are the
 * caller's org's (the router keeps them per org) or one of its sessions';
 * model requests themselves are internal to the cluster.
 */
export function scopedRouterService(deps: {
  guard: Guard;
  ownership: SessionOwnership;
  upstream: pb.RouterServiceClient;
}): pb.RouterServiceImplementation {
  const { guard, ownership, upstream } = deps;
  return {
    // biome-ignore lint/correctness/useYield: refused before any event
    async *complete(_request, context) {
      await guard.authorize(context, "models");
      throw unimplemented(
        "RouterService.Complete is internal to the cluster; the gateway serves ListModels and GetCosts",
      );
    },
    async listModels(request, context) {
      const principal = await guard.authorize(context, "models");
      return relayed(() => upstream.listModels(request, options(principal, context)));
    },
    async getCosts(request, context) {
      if (request.sessionId === "") {
        const principal = await guard.authorize(context, "costs");
        return relayed(() => upstream.getCosts(request, options(principal, context)));
      }
      const { principal, value: owner } = await guard.authorizeReading(
        context,
        "costs",
        ownership.keyOf(request.sessionId),
      );
      if (owner !== principal.orgId) {
        throw notFound(`session ${JSON.stringify(request.sessionId)} not found`);
      }
      return relayed(() => upstream.getCosts(request, options(principal, context)));
    },
  };
}

/**
 * ContextService as the gateway serves it: repository ids are the caller's
 * org's namespace (`<org>/<repo_id>` upstream), so two orgs never share an index.
 */
export function scopedContextService(deps: {
  guard: Guard;
  upstream: pb.ContextServiceClient | undefined;
}): pb.ContextServiceImplementation {
  const { guard, upstream } = deps;
  const available = () => {
    if (!upstream)
      throw unimplemented("this deployment has no context service (TOAD_CONTEXT_URL is not set)");
    return upstream;
  };
  return {
    async retrieve(request, context) {
      const principal = await guard.authorize(context, "context");
      const target = available();
      const repoId = `${principal.orgId}/${request.repoId}`;
      return relayed(() => target.retrieve({ ...request, repoId }, options(principal, context)));
    },
    async getRepoMap(request, context) {
      const principal = await guard.authorize(context, "context");
      const target = available();
      const repoId = `${principal.orgId}/${request.repoId}`;
      return relayed(() => target.getRepoMap({ ...request, repoId }, options(principal, context)));
    },
  };
}
