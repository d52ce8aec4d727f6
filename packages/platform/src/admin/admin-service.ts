import type * as pb from "@toad/proto";
import { grantFailure, holdsScope } from "../auth/grants.js";
import { type IdentityDirectory, IdentityError, type TokenRecord } from "../auth/identity.js";
import { USER_SCOPES } from "../auth/principal.js";
import { invalidArgument, notFound, permissionDenied, ServerError, Status } from "../errors.js";
import type { Guard } from "../gateway/guard.js";
import { adminRoleOf, ensureManages, resolveOrg } from "./access.js";

const TOKEN_ID = /^[0-9a-f]{16}$/;

const IDENTITY_STATUS: Record<IdentityError["code"], Status> = {
  org_not_found: Status.NOT_FOUND,
  user_not_found: Status.NOT_FOUND,
  invalid_input: Status.INVALID_ARGUMENT,
  already_exists: Status.ALREADY_EXISTS,
};

/**
 * AdminService: orgs, users and API tokens, served by the gateway. Every
 * call is authenticated and rate limited by the gateway's guard, then
 * authorised here (see `adminRoleOf`).
 */
export function createAdminService(deps: {
  guard: Guard;
  identity: IdentityDirectory;
  now?: () => number;
}): pb.AdminServiceImplementation {
  const { guard, identity } = deps;
  const now = deps.now ?? Date.now;
  const caller = async (context: Parameters<Guard["authorize"]>[0]) => {
    const principal = await guard.authorize(context);
    return { principal, role: adminRoleOf(principal) };
  };
  const userOf = async (userId: string) => {
    if (userId.trim() === "") throw invalidArgument("user_id is required");
    const user = await identity.user(userId.trim());
    if (!user) throw notFound(`user ${JSON.stringify(userId)} not found`);
    return user;
  };

  return {
    async createOrg(request, context) {
      const { role } = await caller(context);
      if (role.kind !== "platform") throw permissionDenied('creating an org needs the "admin" scope');
      const org = await identityCall(() => identity.createOrg(request.name.trim()));
      return { org: orgToProto(org) };
    },

    async listOrgs(_request, context) {
      const { principal, role } = await caller(context);
      const orgs =
        role.kind === "platform" ? await identity.orgs() : [await resolveOrg(identity, role, principal, "")];
      return { orgs: orgs.map(orgToProto) };
    },

    async createUser(request, context) {
      const { principal, role } = await caller(context);
      const org = await resolveOrg(identity, role, principal, request.org);
      const user = await identityCall(() => identity.createUser(org.id, request.name.trim()));
      return { user: userToProto(user) };
    },

    async listUsers(request, context) {
      const { principal, role } = await caller(context);
      const org = await resolveOrg(identity, role, principal, request.org);
      return { users: (await identity.usersOf(org.id)).map(userToProto) };
    },

    async createToken(request, context) {
      const { principal, role } = await caller(context);
      const user = await userOf(request.userId);
      ensureManages(role, user.orgId);
      const scopes =
        request.scopes.length > 0
          ? request.scopes
          : USER_SCOPES.filter((scope) => holdsScope(principal, scope));
      if (scopes.length === 0) throw invalidArgument("name the scopes of the new token");
      const refused = grantFailure(principal, scopes);
      if (refused?.code === "unknown_scope") throw invalidArgument(refused.message);
      if (refused) throw permissionDenied(refused.message);
      if (request.expiresAtMs !== 0 && request.expiresAtMs <= now()) {
        throw invalidArgument("expires_at_ms must be in the future (0: never expires)");
      }
      if (request.name.trim() === "") throw invalidArgument("a token needs a name");
      const issued = await identityCall(() =>
        identity.issueToken(user.id, { name: request.name.trim(), scopes, expiresAt: request.expiresAtMs }),
      );
      return { token: tokenToProto({ ...issued.record, lastUsedAt: 0 }), secret: issued.token };
    },

    async listTokens(request, context) {
      const { principal, role } = await caller(context);
      if (request.userId.trim() !== "") {
        const user = await userOf(request.userId);
        ensureManages(role, user.orgId);
        return { tokens: (await identity.tokensOf(user.id)).map(tokenToProto) };
      }
      const org = await resolveOrg(identity, role, principal, request.org);
      return { tokens: (await identity.tokensOfOrg(org.id)).map(tokenToProto) };
    },

    async revokeToken(request, context) {
      const { principal, role } = await caller(context);
      const tokenId = request.tokenId.trim();
      if (!TOKEN_ID.test(tokenId)) throw invalidArgument("token_id is 16 hex digits (see ListTokens)");
      const record = await identity.token(tokenId);
      if (!record || record.revokedAt !== null) throw notFound(`API token ${tokenId} not found`);
      ensureManages(role, record.orgId);
      // An org admin cannot revoke a token stronger than its own (a platform admin's, say).
      if (role.kind === "org" && grantFailure(principal, record.scopes)) {
        throw permissionDenied("this token has scopes yours does not; only a platform admin can revoke it");
      }
      if (!(await identity.revokeToken(record.userId, tokenId))) {
        throw notFound(`API token ${tokenId} not found`);
      }
      return {};
    },
  };
}

/** Runs an identity call, turning its domain errors into gRPC statuses. */
async function identityCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof IdentityError) throw new ServerError(IDENTITY_STATUS[error.code], error.message);
    throw error;
  }
}

function orgToProto(org: { id: string; name: string; createdAt: number }): pb.Org {
  return { orgId: org.id, name: org.name, createdAtMs: org.createdAt };
}

function userToProto(user: { id: string; orgId: string; name: string; createdAt: number }): pb.User {
  return { userId: user.id, orgId: user.orgId, name: user.name, createdAtMs: user.createdAt };
}

/** A token as listed: every field but the hash. */
function tokenToProto(token: TokenRecord & { lastUsedAt: number }): pb.TokenInfo {
  return {
    tokenId: token.tokenId,
    name: token.name,
    userId: token.userId,
    orgId: token.orgId,
    scopes: [...token.scopes],
    createdAtMs: token.createdAt,
    expiresAtMs: token.expiresAt,
    lastUsedAtMs: token.lastUsedAt,
  };
}
