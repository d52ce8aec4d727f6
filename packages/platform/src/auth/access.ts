import type { KeyValueStore } from "../kv/port.js";
import { RedisScript } from "../redis/script.js";

/** What one call's access check reads and counts (see `readAccess`). */
export interface AccessRequest {
  tokenId: string;
  /** SHA-256 (hex) of the secret the caller presented. */
  presentedHash: string;
  now: number;
  /** The rate-limit window key and length. */
  rateKey: string;
  windowMs: number;
  /** A key read along (a session's owner), when the call names one. */
  alsoRead?: string;
}

export interface AccessRead {
  /** The stored token record (JSON), when there is one. */
  record: string | undefined;
  /** The rate-limit hit: counted only when the token was valid. */
  hit?: { count: number; resetInMs: number };
  also: string | undefined;
}

export const tokenKeys = {
  token: (id: string) => `token:${id}`,
  lastUsed: (tokenId: string) => `token-used:${tokenId}`,
};

/**
 * The token check, the last-used stamp, the rate-limit hit and the owner read
 * of one call in ONE Redis command. The stamp and the hit happen only for a
 * valid token (the same test `validRecord` makes in process, which still
 * decides): the hash of the presented secret equals the stored one (hashes of
 * 256-bit secrets: a plain comparison reveals nothing usable), not revoked,
 * not expired.
 */
const ACCESS_SCRIPT = new RedisScript(`
local raw = redis.call('GET', KEYS[1])
local also = false
if KEYS[4] then also = redis.call('GET', KEYS[4]) end
if not raw then return {false, false, false, also} end
local ok, record = pcall(cjson.decode, raw)
if not ok or type(record) ~= 'table' then return {raw, false, false, also} end
local now = tonumber(ARGV[2])
local expires = tonumber(record.expiresAt) or 0
if record.hash ~= ARGV[1] or record.revokedAt ~= cjson.null or (expires ~= 0 and expires <= now) then
  return {raw, false, false, also}
end
redis.call('SET', KEYS[2], ARGV[2])
local count = redis.call('INCR', KEYS[3])
if count == 1 then redis.call('PEXPIRE', KEYS[3], ARGV[3]) end
local ttl = redis.call('PTTL', KEYS[3])
if ttl < 0 then redis.call('PEXPIRE', KEYS[3], ARGV[3]); ttl = tonumber(ARGV[3]) end
return {raw, count, ttl, also}`);

/**
 * Reads what `request` needs; on Redis in one round trip, elsewhere step by
 * step (`valid` decides whether the token is stamped and counted).
 */
export async function readAccess(
  kv: KeyValueStore,
  request: AccessRequest,
  valid: (record: string | undefined) => boolean,
): Promise<AccessRead> {
  const keys = [tokenKeys.token(request.tokenId), tokenKeys.lastUsed(request.tokenId), request.rateKey];
  if (request.alsoRead !== undefined) keys.push(request.alsoRead);
  if (kv.runScript) {
    const [record, count, ttl, also] = (await kv.runScript(ACCESS_SCRIPT, keys, [
      request.presentedHash,
      String(request.now),
      String(request.windowMs),
    ])) as [string | null, number | null, number | null, string | null];
    return {
      record: record ?? undefined,
      hit: typeof count === "number" && typeof ttl === "number" ? { count, resetInMs: ttl } : undefined,
      also: also ?? undefined,
    };
  }
  const [record, also] = await Promise.all([
    kv.get(keys[0] as string),
    request.alsoRead === undefined ? undefined : kv.get(request.alsoRead),
  ]);
  if (!valid(record)) return { record, also };
  await kv.set(keys[1] as string, String(request.now));
  return { record, hit: await kv.hit(request.rateKey, request.windowMs), also };
}
