import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * API tokens look like `toad_<id>_<secret>`: the id finds the stored record,
 * the secret proves possession. Only SHA-256 of the secret is stored; the
 * secret has 256 bits of entropy, so a fast hash is as good as a slow one
 * and keeps authentication to one round trip.
 */
export interface ParsedToken {
  tokenId: string;
  secret: string;
}

const TOKEN = /^toad_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export function parseToken(token: string): ParsedToken | undefined {
  const match = TOKEN.exec(token.trim());
  if (!match?.[1] || !match[2]) return undefined;
  return { tokenId: match[1], secret: match[2] };
}

export function newToken(): { tokenId: string; secret: string; token: string } {
  const tokenId = randomBytes(8).toString("hex");
  const secret = randomBytes(32).toString("base64url");
  return { tokenId, secret, token: `toad_${tokenId}_${secret}` };
}

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** Constant-time comparison of a presented secret with a stored hash. */
export function secretMatches(secret: string, storedHash: string): boolean {
  return hashMatches(hashSecret(secret), storedHash);
}

/** `secretMatches` for a secret already hashed (`hashSecret`). */
export function hashMatches(presentedHash: string, storedHash: string): boolean {
  const presented = Buffer.from(presentedHash, "hex");
  const stored = Buffer.from(storedHash, "hex");
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
