import type { Mandate } from '../../mandate/types.js';
import type { Instrument } from '../../market/types.js';
import type { Reason } from '../reasons.js';
import type { Decision, EvaluationContext, NormalizedIntent } from '../types.js';

/** What the gates have learned so far. Each gate reads it; the engine alone writes it. */
export interface Working {
  readonly ctx: EvaluationContext;
  readonly raw: unknown;
  mandate?: Mandate;
  intent?: NormalizedIntent;
  instrument?: Instrument;
  /** Side-appropriate quote price: ask for a buy, bid for a sell. */
  refPrice?: number;
  mid?: number;
  /** The price the order is sized at: the worse (larger) of quote and limit. */
  sizingPrice?: number;
  requestedQty?: number;
  requestedNotional?: number;
  /** Notional still allowed after the caps so far. */
  notional?: number;
  reduces: boolean;
  /** A reduce-only order for exactly the whole position: sized as it is, dust included (see isFlattening). */
  flattens: boolean;
  breaker: 'none' | 'trip' | 'clear';
}

export type GateResult =
  | null
  | { readonly status: 'fail'; readonly decision: Exclude<Decision, 'ALLOW' | 'ALLOW_CAPPED'>; readonly reason: Reason }
  | { readonly status: 'capped'; readonly notional: number; readonly reason: Reason }
  | { readonly status: 'skipped' };

export function reject(r: Reason): GateResult {
  return { status: 'fail', decision: 'REJECT', reason: r };
}

export function pause(r: Reason): GateResult {
  return { status: 'fail', decision: 'PAUSE_FOR_REAUTH', reason: r };
}

/** Requires what earlier gates established; an engine bug surfaces as INTERNAL_ERROR, never as a pass. */
export function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`gate ran before ${what} was established`);
  return value;
}

/**
 * True when the order only shrinks an existing position: opposite side, and no larger than the position less
 * what open reducing orders already claim. A `reduce_only` flag plays no part: it is checked, never trusted.
 */
export function isReduction(intent: NormalizedIntent, qty: number | undefined, ctx: EvaluationContext): boolean {
  if (qty === undefined || !(qty > 0)) return false;
  const pos = ctx.account.position;
  const available = Math.abs(pos.qty) - Math.max(0, pos.pending_reduce_qty);
  if (!(available > 0)) return false;
  const opposite = (intent.side === 'sell' && pos.qty > 0) || (intent.side === 'buy' && pos.qty < 0);
  return opposite && qty <= available;
}

/**
 * True when the order takes the position to exactly zero: flagged `reduce_only`, a reduction, and for precisely the
 * quantity held (with no other order already reducing it). Such an order is sent as it is: not rounded down to the
 * step (which would leave dust) and not held to the venue's minimum (dust is below it), so a position can always be
 * closed. The flag matters: only a reduce-only order is sure not to open the other side at the venue.
 */
export function isFlattening(intent: NormalizedIntent, qty: number | undefined, ctx: EvaluationContext): boolean {
  const pos = ctx.account.position;
  return (
    intent.reduce_only && qty === Math.abs(pos.qty) && !(pos.pending_reduce_qty > 0) && isReduction(intent, qty, ctx)
  );
}
