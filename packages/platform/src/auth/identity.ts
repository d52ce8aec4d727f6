import { randomBytes } from "node:crypto";
import { err, ok, type Result } from "@toad/store";
import type { KeyValueStore } from "../kv/port.js";
import { readAccess, tokenKeys } from "./access.js";
import { ALL_SCOPES, type Principal } from "./principal.js";
import { hashMatches, hashSecret, newToken, parseToken } from "./tokens.js";

export interface Org {
  id: string;
  name: string;
  createdAt: number;
}

export interface User {
  id: string;
  orgId: string;
  name: string;
  createdAt: number;
}

/** A token as stored: never the secret, only its hash. */
export interface TokenRecord {
  tokenId: string;
  name: string;
  userId: string;
  orgId: string;
  scopes: string[];
  createdAt: number;
  /** 0: never expires. */
  expiresAt: number;
  revokedAt: number | null;
  hash: string;
}

export type AuthFailure =
  | { code: "missing"; message: string }
  | { code: "malformed"; message: string }
  | { code: "unknown"; message: string }
  | { code: "expired"; message: string }
  | { code: "revoked"; message: string };

/** A caller `admit` let in: who, its rate-limit hit, and the key read along. */
export interface Admitted {
  principal: Principal;
  hit: { count: number; resetInMs: number };
  also: string | undefined;
}

export type IdentityErrorCode = "org_not_found" | "user_not_found" | "invalid_input" | "already_exists";

export class IdentityError extends Error {
  override readonly name = "IdentityError";
  constructor(
    readonly code: IdentityErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const keys = {
  org: (id: string) => `org:${id}`,
  user: (id: string) => `user:${id}`,
  token: tokenKeys.token,
  userTokens: (userId: string) => `user-tokens:${userId}`,
  lastUsed: tokenKeys.lastUsed,
  orgs: "orgs",
  orgUsers: (orgId: string) => `org-users:${orgId}`,
  // Names are unique (orgs across the deployment, users within their org), compared without case.
  orgName: (name: string) => `org-name:${name.toLowerCase()}`,
  userName: (orgId: string, name: string) => `user-name:${orgId}:${name.toLowerCase()}`,
};

const NAME = /^[\w .@-]{1,100}$/;

/**
 * Orgs, users and API tokens over the key-value port. Every user belongs to
 * one org; a token acts as its user, within that org.
 */
export class IdentityDirectory {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new org; `already_exists` when another org has this name. Idempotent for the same `id` and name. */
  async createOrg(name: string, id = `org_${randomBytes(6).toString("hex")}`): Promise<Org> {
    checkName("org name", name);
    await this.claimName(keys.orgName(name), id, `an org named ${JSON.stringify(name)} already exists`);
    const org: Org = { id, name, createdAt: this.now() };
    await this.kv.setIfAbsent(keys.org(id), JSON.stringify(org));
    // Always (re)indexed, so orgs stored before the index existed are listed once touched.
    await this.kv.addToSet(keys.orgs, id);
    return (await this.org(id)) ?? org;
  }

  async org(id: string): Promise<Org | undefined> {
    return readJson<Org>(await this.kv.get(keys.org(id)));
  }

  async orgByName(name: string): Promise<Org | undefined> {
    const id = await this.kv.get(keys.orgName(name));
    return id === undefined ? undefined : this.org(id);
  }

  async orgs(): Promise<Org[]> {
    const orgs = await this.records<Org>(await this.kv.members(keys.orgs), (id) => this.org(id));
    return orgs.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  }

  async usersOf(orgId: string): Promise<User[]> {
    const users = await this.records<User>(await this.kv.members(keys.orgUsers(orgId)), (id) =>
      this.user(id),
    );
    return users.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  }

  /** Live tokens of every user of `orgId`. */
  async tokensOfOrg(orgId: string): Promise<(TokenRecord & { lastUsedAt: number })[]> {
    const users = await this.usersOf(orgId);
    return (await Promise.all(users.map((user) => this.tokensOf(user.id)))).flat();
  }

  async createUser(orgId: string, name: string, id = `usr_${randomBytes(6).toString("hex")}`): Promise<User> {
    checkName("user name", name);
    if (!(await this.org(orgId))) throw new IdentityError("org_not_found", `no org ${orgId}`);
    await this.claimName(
      keys.userName(orgId, name),
      id,
      `org ${orgId} already has a user named ${JSON.stringify(name)}`,
    );
    const user: User = { id, orgId, name, createdAt: this.now() };
    await this.kv.setIfAbsent(keys.user(id), JSON.stringify(user));
    await this.kv.addToSet(keys.orgUsers(orgId), id);
    return (await this.user(id)) ?? user;
  }

  async user(id: string): Promise<User | undefined> {
    return readJson<User>(await this.kv.get(keys.user(id)));
  }

  /** A new token for `userId`; the returned `token` string is the only copy of its secret. */
  async issueToken(
    userId: string,
    options: { name: string; scopes: readonly string[]; expiresAt?: number },
  ): Promise<{ record: TokenRecord; token: string }> {
    const user = await this.user(userId);
    if (!user) throw new IdentityError("user_not_found", `no user ${userId}`);
    checkName("token name", options.name);
    if (options.scopes.length === 0)
      throw new IdentityError("invalid_input", "a token needs at least one scope");
    const fresh = newToken();
    const record: TokenRecord = {
      tokenId: fresh.tokenId,
      name: options.name,
      userId,
      orgId: user.orgId,
      scopes: [...options.scopes],
      createdAt: this.now(),
      expiresAt: options.expiresAt ?? 0,
      revokedAt: null,
      hash: hashSecret(fresh.secret),
    };
    await this.saveToken(record);
    return { record, token: fresh.token };
  }

  /**
   * Registers a token whose secret was generated outside (TOAD_BOOTSTRAP_TOKEN
   * from a Kubernetes secret): an admin of org "default" with every scope.
   * Idempotent; a token id already taken is left alone.
   */
  async ensureBootstrapToken(token: string): Promise<TokenRecord> {
    const parsed = parseToken(token);
    if (!parsed)
      throw new IdentityError("invalid_input", "the bootstrap token is not a toad_<id>_<secret> token");
    const existing = await this.token(parsed.tokenId);
    if (existing) {
      await this.indexOwner(existing);
      return existing;
    }
    // An existing "default" org or "admin" user (a store from before the name index) is reused as it is.
    const org = (await this.org("default")) ?? (await this.createOrg("default", "default"));
    const user = (await this.user("admin")) ?? (await this.createUser(org.id, "admin", "admin"));
    const record: TokenRecord = {
      tokenId: parsed.tokenId,
      name: "bootstrap",
      userId: user.id,
      orgId: org.id,
      scopes: [ALL_SCOPES],
      createdAt: this.now(),
      expiresAt: 0,
      revokedAt: null,
      hash: hashSecret(parsed.secret),
    };
    await this.saveToken(record);
    await this.indexOwner(record);
    return record;
  }

  /**
   * Lists a token's org and user (and reserves their names) when a store
   * written before those indexes holds them; a name taken since stays taken.
   */
  private async indexOwner(record: TokenRecord): Promise<void> {
    const [org, user] = await Promise.all([this.org(record.orgId), this.user(record.userId)]);
    if (org) {
      await this.kv.addToSet(keys.orgs, org.id);
      await this.kv.setIfAbsent(keys.orgName(org.name), org.id);
    }
    if (user) {
      await this.kv.addToSet(keys.orgUsers(user.orgId), user.id);
      await this.kv.setIfAbsent(keys.userName(user.orgId, user.name), user.id);
    }
  }

  async token(tokenId: string): Promise<TokenRecord | undefined> {
    return readJson<TokenRecord>(await this.kv.get(keys.token(tokenId)));
  }

  async tokensOf(userId: string): Promise<(TokenRecord & { lastUsedAt: number })[]> {
    const ids = await this.kv.members(keys.userTokens(userId));
    const records = await Promise.all(ids.map((id) => this.token(id)));
    const live = records.filter(
      (record): record is TokenRecord => record !== undefined && record.revokedAt === null,
    );
    const withUse = await Promise.all(
      live.map(async (record) => ({
        ...record,
        lastUsedAt: Number((await this.kv.get(keys.lastUsed(record.tokenId))) ?? 0),
      })),
    );
    return withUse.sort((a, b) => a.createdAt - b.createdAt || a.tokenId.localeCompare(b.tokenId));
  }

  /** Revokes a token of `userId`; false when the user has no such live token. */
  async revokeToken(userId: string, tokenId: string): Promise<boolean> {
    const record = await this.token(tokenId);
    if (!record || record.userId !== userId || record.revokedAt !== null) return false;
    await this.kv.set(keys.token(tokenId), JSON.stringify({ ...record, revokedAt: this.now() }));
    await this.kv.removeFromSet(keys.userTokens(userId), tokenId);
    return true;
  }

  async authenticate(token: string | undefined): Promise<Result<Principal, AuthFailure>> {
    const parsed = presented(token);
    if (!parsed.ok) return parsed;
    const record = await this.token(parsed.value.tokenId);
    const at = this.now();
    const checked = checkRecord(hashSecret(parsed.value.secret), record, at);
    if (!checked.ok) return checked;
    await this.kv.set(keys.lastUsed(checked.value.tokenId), String(at));
    return checked;
  }

  /**
   * `authenticate`, then one hit of the token's rate-limit window (`rate`),
   * plus one more key read along (a session's owner): on Redis one round trip
   * for all of it. `hit` is there exactly when the token is valid.
   */
  async admit(
    token: string | undefined,
    rate: { key: (tokenId: string) => string; windowMs: number },
    alsoRead?: string,
  ): Promise<Result<Admitted, AuthFailure>> {
    const parsed = presented(token);
    if (!parsed.ok) return parsed;
    const { tokenId } = parsed.value;
    const presentedHash = hashSecret(parsed.value.secret);
    const now = this.now();
    const read = await readAccess(
      this.kv,
      {
        tokenId,
        presentedHash,
        now,
        rateKey: rate.key(tokenId),
        windowMs: rate.windowMs,
        alsoRead,
      },
      (raw) => checkRecord(presentedHash, readJson<TokenRecord>(raw), now).ok,
    );
    const checked = checkRecord(presentedHash, readJson<TokenRecord>(read.record), now);
    if (!checked.ok) return checked;
    // The store decided with the same test; a valid token it did not count is a store fault.
    if (!read.hit) throw new Error("the token check and the store disagree");
    return ok({ principal: checked.value, hit: read.hit, also: read.also });
  }

  /** Takes `key` for `id`; a key another id holds is `already_exists`. */
  private async claimName(key: string, id: string, taken: string): Promise<void> {
    if (await this.kv.setIfAbsent(key, id)) return;
    if ((await this.kv.get(key)) !== id) throw new IdentityError("already_exists", taken);
  }

  private async records<T>(ids: string[], read: (id: string) => Promise<T | undefined>): Promise<T[]> {
    const found = await Promise.all(ids.map(read));
    return found.filter((record): record is Awaited<T> & T => record !== undefined);
  }

  private async saveToken(record: TokenRecord): Promise<void> {
    await this.kv.set(keys.token(record.tokenId), JSON.stringify(record));
    await this.kv.addToSet(keys.userTokens(record.userId), record.tokenId);
  }
}

/** The parsed token of an authorization value, or why there is none. */
function presented(token: string | undefined): Result<{ tokenId: string; secret: string }, AuthFailure> {
  if (token === undefined || token.trim() === "") {
    return err({
      code: "missing",
      message: "missing API token: send the header authorization: Bearer <token>",
    });
  }
  const parsed = parseToken(token);
  if (!parsed) return err({ code: "malformed", message: "invalid API token" });
  return ok(parsed);
}

/** Whether `record` lets the holder of a secret hashing to `presentedHash` in at `at`. */
function checkRecord(
  presentedHash: string,
  record: TokenRecord | undefined,
  at: number,
): Result<Principal, AuthFailure> {
  // Unknown id and wrong secret read the same, so ids cannot be probed.
  if (!record || !hashMatches(presentedHash, record.hash)) {
    return err({ code: "unknown", message: "invalid API token" });
  }
  if (record.revokedAt !== null) return err({ code: "revoked", message: "this API token was revoked" });
  if (record.expiresAt !== 0 && record.expiresAt <= at) {
    return err({ code: "expired", message: "this API token has expired" });
  }
  return ok({ orgId: record.orgId, userId: record.userId, tokenId: record.tokenId, scopes: record.scopes });
}

function checkName(what: string, name: string): void {
  if (!NAME.test(name)) {
    throw new IdentityError("invalid_input", `${what} must be 1-100 letters, digits, spaces or . @ - _`);
  }
}

function readJson<T>(raw: string | undefined): T | undefined {
  return raw === undefined ? undefined : (JSON.parse(raw) as T);
}
