import type * as pb from "@toad/proto";
import { grantFailure } from "../auth/grants.js";
import type { IdentityDirectory } from "../auth/identity.js";
import { invalidArgument, notFound, permissionDenied } from "../errors.js";
import type { Guard } from "./guard.js";

/** GatewayService: who the caller is, and the caller's own API tokens. */
export function createGatewayService(deps: {
  guard: Guard;
  identity: IdentityDirectory;
  now?: () => number;
}): pb.GatewayServiceImplementation {
  const { guard, identity } = deps;
  const now = deps.now ?? Date.now;
  return {
    async whoAmI(_request, context) {
      // Any valid token may ask who it is.
      const principal = await guard.authorize(context);
      return {
        userId: principal.userId,
        orgId: principal.orgId,
        tokenId: principal.tokenId,
        scopes: [...principal.scopes],
      };
    },

    async createApiToken(request, context) {
      const principal = await guard.authorize(context, "tokens");
      const scopes = request.scopes.length === 0 ? [...principal.scopes] : request.scopes;
      const refused = grantFailure(principal, scopes);
      if (refused?.code === "unknown_scope") throw invalidArgument(refused.message);
      if (refused) throw permissionDenied(refused.message);
      if (request.expiresAtMs !== 0 && request.expiresAtMs <= now()) {
        throw invalidArgument("expires_at_ms is in the past");
      }
      if (request.name.trim() === "") throw invalidArgument("a token needs a name");
      const issued = await identity
        .issueToken(principal.userId, { name: request.name, scopes, expiresAt: request.expiresAtMs })
        .catch((error: unknown) => {
          throw invalidArgument(error instanceof Error ? error.message : String(error));
        });
      return { tokenId: issued.record.tokenId, token: issued.token };
    },

    async listApiTokens(_request, context) {
      const principal = await guard.authorize(context, "tokens");
      const tokens = await identity.tokensOf(principal.userId);
      return {
        tokens: tokens.map(
          (token): pb.ApiToken => ({
            tokenId: token.tokenId,
            name: token.name,
            userId: token.userId,
            scopes: token.scopes,
            createdAtMs: token.createdAt,
            expiresAtMs: token.expiresAt,
            lastUsedAtMs: token.lastUsedAt,
          }),
        ),
      };
    },

    async revokeApiToken(request, context) {
      const principal = await guard.authorize(context, "tokens");
      if (!(await identity.revokeToken(principal.userId, request.tokenId))) {
        throw notFound(`API token ${JSON.stringify(request.tokenId)} not found`);
      }
      return {};
    },
  };
}
