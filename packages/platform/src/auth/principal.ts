/** Who is calling, as the gateway established it from an API token. */
export interface Principal {
  orgId: string;
  userId: string;
  tokenId: string;
  scopes: readonly string[];
}

/**
 * What a token may do. `*` grants everything; a token can only create tokens
 * with scopes it holds itself. `admin` manages every org's users and tokens
 * (AdminService), `org-admin` those of its own org.
 */
export const SCOPES = ["sessions", "models", "costs", "context", "tokens", "org-admin", "admin"] as const;
export type Scope = (typeof SCOPES)[number];
export const ALL_SCOPES = "*";

/** What a plain user's token gets when its creator names no scopes: everything but administration. */
export const USER_SCOPES: readonly Scope[] = ["sessions", "models", "costs", "context", "tokens"];

export function hasScope(principal: Pick<Principal, "scopes">, scope: Scope): boolean {
  return principal.scopes.includes(ALL_SCOPES) || principal.scopes.includes(scope);
}

/**
 * Metadata the gateway puts on every call it forwards. Internal services
 * trust it (they are reachable only from inside the cluster); the gateway
 * never forwards these keys from a caller.
 */
export const IDENTITY_METADATA = {
  org: "toad-org-id",
  user: "toad-user-id",
  token: "toad-token-id",
} as const;

/** The org of a call inside the cluster, or the single embedded org when no gateway set one. */
export const LOCAL_ORG = "local";
