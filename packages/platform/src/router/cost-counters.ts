import type { KeyValueStore } from "../kv/port.js";
import { RedisScript } from "../redis/script.js";

// Every scope's fields in one command (ARGV: field, delta, field, delta, …), so a
// usage costs one round trip however many scopes it counts toward. It writes what
// the port's `incrementFields` writes per key (HINCRBYFLOAT of the same strings).
const ADD_SCRIPT = new RedisScript(`
for k = 1, #KEYS do
  for i = 1, #ARGV, 2 do redis.call('HINCRBYFLOAT', KEYS[k], ARGV[i], ARGV[i + 1]) end
end
return 1`);

/** Adds the same deltas to the numeric fields of the hashes at `keys` (one per cost scope). */
export async function addToAll(
  kv: KeyValueStore,
  keys: readonly string[],
  deltas: Readonly<Record<string, number>>,
): Promise<void> {
  if (kv.runScript === undefined) {
    await Promise.all(keys.map((key) => kv.incrementFields(key, deltas)));
    return;
  }
  const args: (string | number)[] = [];
  for (const field in deltas) args.push(field, deltas[field] as number);
  await kv.runScript(ADD_SCRIPT, keys, args);
}
