/** A two-way mapping between a string union of the core model and a proto enum. */
export interface EnumTable<S extends string, N extends number> {
  toProto(value: S): N;
  /** Throws on UNSPECIFIED, UNRECOGNIZED and unknown numbers: a malformed event is an error, not a guess. */
  fromProto(value: N, field: string): S;
}

export function enumTable<S extends string, N extends number>(pairs: Record<S, N>): EnumTable<S, N> {
  const reverse = new Map<number, S>();
  for (const [name, number] of Object.entries(pairs) as [S, N][]) reverse.set(number, name);
  return {
    toProto: (value) => pairs[value],
    fromProto(value, field) {
      const name = reverse.get(value);
      if (name === undefined)
        throw new EventDecodeError(`${field}: no event value for proto enum number ${value}`);
      return name;
    },
  };
}

export class EventDecodeError extends Error {
  override readonly name = "EventDecodeError";
}
