const SUFFIX: Record<string, number> = {
  "": 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The value of a Kubernetes quantity ("500m" → 0.5, "4Gi" → 4294967296), or undefined when it is not one. */
export function parseQuantity(quantity: string | number | undefined): number | undefined {
  if (typeof quantity === "number") return quantity;
  if (quantity === undefined) return undefined;
  const match = /^([0-9]+(?:\.[0-9]+)?|\.[0-9]+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(quantity.trim());
  if (!match) return undefined;
  return Number(match[1]) * (SUFFIX[match[2] ?? ""] ?? 1);
}

/** Whichever quantity is smaller; an unparsable or missing one loses to the other. */
export function smallerQuantity(a: string | undefined, b: string | undefined): string | undefined {
  const [x, y] = [parseQuantity(a), parseQuantity(b)];
  if (x === undefined) return b;
  if (y === undefined) return a;
  return y < x ? b : a;
}
