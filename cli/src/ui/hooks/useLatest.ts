import { useCallback, useReducer, useRef } from "react";

/**
 * State kept in a ref and re-rendered on change. Key handlers read the ref,
 * so several keys arriving in one input chunk each see the state the
 * previous key left (plain `useState` would hand them all the same stale
 * value and drop keystrokes).
 */
export function useLatest<T>(
  initial: T | (() => T),
): [{ readonly current: T }, (next: T | ((previous: T) => T)) => void] {
  const ref = useRef<T | undefined>(undefined);
  if (ref.current === undefined)
    ref.current = typeof initial === "function" ? (initial as () => T)() : initial;
  const [, render] = useReducer((count: number) => count + 1, 0);
  const set = useCallback((next: T | ((previous: T) => T)) => {
    const previous = ref.current as T;
    const value = typeof next === "function" ? (next as (previous: T) => T)(previous) : next;
    if (Object.is(value, previous)) return;
    ref.current = value;
    render();
  }, []);
  return [ref as { readonly current: T }, set];
}
