import type { Redis } from "ioredis";
import { RedisScript } from "../redis/script.js";
import type { KeyValueStore } from "./port.js";

// A fixed window: the first hit creates the counter with its expiry, later hits only count.
const HIT_SCRIPT = new RedisScript(`
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}`);

// Adds to several fields of one hash in one command (ARGV: field, delta, field, delta, …).
const INCREMENT_SCRIPT = new RedisScript(`
for i = 1, #ARGV, 2 do redis.call('HINCRBYFLOAT', KEYS[1], ARGV[i], ARGV[i + 1]) end
return 1`);

/** The key-value port on Redis (ioredis); keys carry the connection's prefix. */
export class RedisKeyValueStore implements KeyValueStore {
  constructor(
    private readonly redis: Redis,
    /** Whether `close` also closes the connection (false when it is shared). */
    private readonly ownsConnection = true,
  ) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(key)) ?? undefined;
  }

  async set(key: string, value: string): Promise<void> {
    await this.redis.set(key, value);
  }

  async setIfAbsent(key: string, value: string): Promise<boolean> {
    return (await this.redis.set(key, value, "NX")) === "OK";
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(key);
  }

  async addToSet(key: string, member: string): Promise<void> {
    await this.redis.sadd(key, member);
  }

  async removeFromSet(key: string, member: string): Promise<void> {
    await this.redis.srem(key, member);
  }

  async members(key: string): Promise<string[]> {
    return this.redis.smembers(key);
  }

  async incrementFields(key: string, deltas: Readonly<Record<string, number>>): Promise<void> {
    // One script rather than MULTI + a HINCRBYFLOAT per field + EXEC: one command to build and send.
    await INCREMENT_SCRIPT.run(this.redis, [key], Object.entries(deltas).flat());
  }

  async fields(key: string): Promise<Record<string, number>> {
    const raw = await this.redis.hgetall(key);
    return Object.fromEntries(Object.entries(raw).map(([field, value]) => [field, Number(value)]));
  }

  async hit(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }> {
    const [count, ttl] = (await HIT_SCRIPT.run(this.redis, [key], [String(windowMs)])) as [number, number];
    return { count, resetInMs: ttl };
  }

  runScript(
    script: RedisScript,
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<unknown> {
    return script.run(this.redis, keys, args);
  }

  async close(): Promise<void> {
    if (this.ownsConnection) await this.redis.quit();
  }
}
