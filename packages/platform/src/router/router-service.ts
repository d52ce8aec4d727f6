import { type ModelClient, stampEvent } from "@toad/core";
import { eventToProto } from "@toad/core/proto";
import type { LlmConfig } from "@toad/llm";
import * as pb from "@toad/proto";
import { IDENTITY_METADATA, LOCAL_ORG } from "../auth/principal.js";
import { tiers } from "../convert/enums.js";
import { modelRequestFromComplete } from "../convert/messages.js";
import { invalidArgument, mapErrors } from "../errors.js";
import type { CostBook } from "./costs.js";

export interface RouterServiceDeps {
  config: LlmConfig;
  /** A model client whose spend counts toward `sessionId` (packages/llm `createModelClient`). */
  modelFor(sessionId: string): ModelClient;
  costs: CostBook;
  now?: () => number;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `toad.v1.RouterService` over the models layer: one model request streamed
 * as core events (the router picks the model, retries and falls back), every
 * usage priced and added to the caller's org and session costs.
 */
export function createRouterService(deps: RouterServiceDeps): pb.RouterServiceImplementation {
  const now = deps.now ?? Date.now;
  return {
    async *complete(request, context) {
      const modelRequest = await mapErrors(async () => modelRequestFromComplete(request));
      const org = context.metadata.get(IDENTITY_METADATA.org) ?? LOCAL_ORG;
      const scopes = [`org:${org}`, ...(request.sessionId === "" ? [] : [`session:${request.sessionId}`])];
      const stream = deps.modelFor(request.sessionId).stream(modelRequest, { signal: context.signal });
      for await (const event of stream) {
        if (event.type === "usage") await deps.costs.record(scopes, event, now());
        yield eventToProto(stampEvent(event, { sessionId: request.sessionId, seq: 0, timestamp: now() }));
      }
    },

    async listModels() {
      const models = Object.values(deps.config.models).map(
        (model): pb.ModelInfo => ({
          id: model.id,
          provider: model.provider,
          tier: model.tier === undefined ? pb.ModelTier.MODEL_TIER_UNSPECIFIED : tiers.toProto(model.tier),
          contextWindow: model.contextWindow,
          maxOutputTokens: model.maxOutputTokens,
          inputPrice: model.prices.input,
          outputPrice: model.prices.output,
          cacheWritePrice: model.prices.cacheWrite,
          cacheReadPrice: model.prices.cacheRead,
        }),
      );
      return { models: models.sort((a, b) => a.id.localeCompare(b.id)) };
    },

    async getCosts(request, context) {
      for (const day of [request.fromDay, request.toDay]) {
        if (day !== "" && !DAY.test(day))
          throw invalidArgument(`day ${JSON.stringify(day)} is not YYYY-MM-DD`);
      }
      const org = context.metadata.get(IDENTITY_METADATA.org) ?? LOCAL_ORG;
      const scope = request.sessionId === "" ? `org:${org}` : `session:${request.sessionId}`;
      return deps.costs.report(scope, request.fromDay, request.toDay);
    },
  };
}
