import { lastUserText, type RecordedRequest, toolResultText } from "./request.js";
import type { MatchSpec, ScriptedTurn } from "./script.js";

// Turn selection. Each request takes the FIRST turn, in script order, that is not
// used up and whose `match` (if any) fits the request. A turn answers `times`
// requests (default 1) and is then used up. So a fault turn hits exactly one
// request and the client's retry gets the turn after it.

export function matches(spec: MatchSpec, request: RecordedRequest): boolean {
  const want = typeof spec === "string" ? { lastUserText: spec } : spec;
  if (want.wire !== undefined && want.wire !== request.wire) return false;
  if (want.model !== undefined) {
    const body = request.body as { model?: unknown } | undefined;
    if (body?.model !== want.model) return false;
  }
  if (want.anyText !== undefined && !request.rawBody.includes(want.anyText)) return false;
  if (want.lastUserText !== undefined && !lastUserText(request).includes(want.lastUserText)) return false;
  if (want.toolResult !== undefined && !toolResultText(request).includes(want.toolResult)) return false;
  return true;
}

interface Slot {
  turn: ScriptedTurn;
  index: number;
  remaining: number;
}

export interface TakenTurn {
  turn: ScriptedTurn;
  index: number;
}

export class TurnQueue {
  private readonly slots: Slot[] = [];

  constructor(turns: readonly ScriptedTurn[] = []) {
    this.add(turns);
  }

  add(turns: readonly ScriptedTurn[]): void {
    for (const turn of turns) {
      this.slots.push({ turn, index: this.slots.length, remaining: turn.times ?? 1 });
    }
  }

  /** Takes (and uses one request of) the first available turn that fits, if any. */
  take(request: RecordedRequest): TakenTurn | undefined {
    const slot = this.slots.find(
      (s) => s.remaining > 0 && (s.turn.match === undefined || matches(s.turn.match, request)),
    );
    if (slot === undefined) return undefined;
    slot.remaining -= 1;
    return { turn: slot.turn, index: slot.index };
  }

  /** How many turns still have requests left to answer. */
  remaining(): number {
    return this.slots.filter((s) => s.remaining > 0).length;
  }
}
