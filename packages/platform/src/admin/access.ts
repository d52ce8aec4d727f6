import type { IdentityDirectory, Org } from "../auth/identity.js";
import { hasScope, type Principal } from "../auth/principal.js";
import { notFound, permissionDenied } from "../errors.js";

/**
 * What an admin caller may manage: a platform admin (`admin` scope, or `*`)
 * every org, an org admin (`org-admin`) only its own.
 */
export type AdminRole = { kind: "platform" } | { kind: "org"; orgId: string };

export function adminRoleOf(principal: Principal): AdminRole {
  if (hasScope(principal, "admin")) return { kind: "platform" };
  if (hasScope(principal, "org-admin")) return { kind: "org", orgId: principal.orgId };
  throw permissionDenied('managing orgs, users and tokens needs the "admin" or "org-admin" scope');
}

export function ensureManages(role: AdminRole, orgId: string): void {
  if (role.kind === "org" && role.orgId !== orgId) {
    throw permissionDenied("an org admin manages only the users and tokens of its own org");
  }
}

/**
 * The org a request names by id or name (empty: the caller's). An org admin
 * naming any other org is refused before the lookup, so org names cannot be
 * probed; a platform admin naming an unknown org gets NOT_FOUND.
 */
export async function resolveOrg(
  identity: IdentityDirectory,
  role: AdminRole,
  principal: Principal,
  ref: string,
): Promise<Org> {
  const wanted = ref.trim() === "" ? principal.orgId : ref.trim();
  if (role.kind === "org") {
    const own = await identity.org(role.orgId);
    if (!own || (wanted !== own.id && wanted.toLowerCase() !== own.name.toLowerCase())) {
      throw permissionDenied("an org admin manages only the users and tokens of its own org");
    }
    return own;
  }
  const org = (await identity.org(wanted)) ?? (await identity.orgByName(wanted));
  if (!org) throw notFound(`org ${JSON.stringify(wanted)} not found`);
  return org;
}
