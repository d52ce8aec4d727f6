import { ALL_SCOPES, hasScope, type Principal, SCOPES, type Scope } from "./principal.js";

export type GrantFailure = { code: "unknown_scope"; message: string } | { code: "not_held"; message: string };

const isScope = (scope: string): scope is Scope => (SCOPES as readonly string[]).includes(scope);

/** Whether `holder` holds `scope` itself: `*` is held only by a `*` token, the rest as `hasScope` says. */
export function holdsScope(holder: Pick<Principal, "scopes">, scope: string): boolean {
  if (scope === ALL_SCOPES) return holder.scopes.includes(ALL_SCOPES);
  return isScope(scope) && hasScope(holder, scope);
}

/**
 * The first reason `creator` may not put `scopes` on a token: a scope that
 * does not exist, or one the creator does not hold (a token never grants
 * more than its creator has). `undefined` when every scope may be granted.
 */
export function grantFailure(
  creator: Pick<Principal, "scopes">,
  scopes: readonly string[],
): GrantFailure | undefined {
  for (const scope of scopes) {
    if (scope !== ALL_SCOPES && !isScope(scope)) {
      return {
        code: "unknown_scope",
        message: `unknown scope "${scope}"; scopes are ${[ALL_SCOPES, ...SCOPES].join(", ")}`,
      };
    }
    if (!holdsScope(creator, scope)) {
      return { code: "not_held", message: `a token cannot grant the "${scope}" scope it does not hold` };
    }
  }
  return undefined;
}
