/**
 * The order lifecycle: the states an order forwarded by the firewall can be in, which answers from the venue move
 * it where, what its reservation and daily count become, and which states are final. Written once, as data and
 * pure functions; both stores, the firewall service and crash recovery execute what `planOutcome` returns.
 *
 * ```
 *  forwarding ─▶ open ─▶ partially_filled ─▶ filled
 *      │          └────────────▶ cancelled / expired
 *      ├─▶ rejected_by_venue                (final: releases the reservation, counts nothing)
 *      └─▶ unknown ─(venue answers)─▶ any of the above   (keeps reservation and count until then)
 * ```
 *
 * A venue answer can only move an order forward: fills only grow, a final state is never left (a late report
 * about a finished order changes nothing), and `unknown` ends only with an answer from the venue — a timeout or
 * an unreachable venue is not one.
 */

export const ORDER_STATES = [
  'forwarding',
  'unknown',
  'open',
  'partially_filled',
  'filled',
  'cancelled',
  'expired',
  'rejected_by_venue',
] as const;
export type OrderState = (typeof ORDER_STATES)[number];

export const FINAL_STATES: ReadonlySet<OrderState> = new Set(['filled', 'cancelled', 'expired', 'rejected_by_venue']);

/** States whose fate the venue has not told yet: the order may or may not be at the venue. */
export const UNRESOLVED_STATES: ReadonlySet<OrderState> = new Set(['forwarding', 'unknown']);

/**
 * Allowed transitions (a state to itself is "no change" and always allowed). An answer that would move an order
 * backwards (a partially filled order reported open again) leaves its state as it is.
 */
export const TRANSITIONS: Readonly<Record<OrderState, readonly OrderState[]>> = {
  forwarding: ['unknown', 'open', 'partially_filled', 'filled', 'cancelled', 'expired', 'rejected_by_venue'],
  unknown: ['open', 'partially_filled', 'filled', 'cancelled', 'expired', 'rejected_by_venue'],
  open: ['partially_filled', 'filled', 'cancelled', 'expired'],
  partially_filled: ['filled', 'cancelled', 'expired'],
  filled: [],
  cancelled: [],
  expired: [],
  rejected_by_venue: [],
};

export function isFinal(s: OrderState): boolean {
  return FINAL_STATES.has(s);
}

export function canTransition(from: OrderState, to: OrderState): boolean {
  return from === to || TRANSITIONS[from].includes(to);
}

/**
 * A stored status as a lifecycle state. Rows written before the lifecycle existed say `failed` (a forward that
 * never reached the venue) and `rejected` (a venue status): both are `rejected_by_venue`.
 */
export function stateOf(stored: string): OrderState {
  if (stored === 'failed' || stored === 'rejected') return 'rejected_by_venue';
  return (ORDER_STATES as readonly string[]).includes(stored) ? (stored as OrderState) : 'unknown';
}

/** The order statuses a venue reports (the Venue port's). */
export type VenueStatus = 'open' | 'partially_filled' | 'filled' | 'cancelled' | 'rejected' | 'expired';

/** What the venue said about an order. Only these move an order; the caller maps errors to them. */
export type VenueAnswer =
  /** The venue knows the order and reports its state. */
  | {
      readonly kind: 'order';
      readonly status: VenueStatus;
      readonly venueOrderId: string;
      readonly filledQuantity: number;
      readonly avgPrice: number | null;
    }
  /** The venue refused the order: it was never placed (invalid, insufficient balance, rate limited, …). */
  | { readonly kind: 'refused'; readonly code: string; readonly message: string }
  /** Asked by client order id, the venue answered that it has no such order. */
  | { readonly kind: 'not_found'; readonly code: string; readonly message: string }
  /** No answer: a timeout, an unreachable venue, a failed lookup. The order's fate is unknown. */
  | { readonly kind: 'no_answer'; readonly code: string; readonly message: string };

/** What the store holds of an order when an answer arrives. */
export interface OrderRecord {
  readonly status: OrderState;
  /** Base quantity already recorded as filled. */
  readonly filledQuantity: number;
  /** The order's reservation as it was made (or resized by an amend), or null if it has none left. */
  readonly reservation: { readonly quantity: number; readonly notional: number } | null;
}

export type ReservationPlan =
  | { readonly kind: 'keep' }
  | { readonly kind: 'release' }
  | { readonly kind: 'shrink'; readonly quantity: number; readonly notional: number };

/** What a store writes for one answer. When `changed` is false it writes nothing (not even a ledger record). */
export interface OutcomePlan {
  readonly changed: boolean;
  readonly status: OrderState;
  readonly final: boolean;
  /** Cumulative filled quantity after the answer (never less than before). */
  readonly filledQuantity: number;
  /** Newly filled base quantity this answer reports (≥ 0). */
  readonly fillDelta: number;
  readonly avgPrice: number | null;
  readonly venueOrderId: string | null;
  readonly reservation: ReservationPlan;
  /** The order never reached the venue: its trade is taken off the daily count. */
  readonly uncount: boolean;
  /** The verdict no longer blocks a same-content retry (an order that never happened is not a duplicate). */
  readonly unpass: boolean;
  /** Set for a venue refusal or a missing order: why it ended (`rejected_by_venue`) or is unknown. */
  readonly code: string | null;
}

const RANK: Readonly<Record<OrderState, number>> = {
  forwarding: 0,
  unknown: 0,
  open: 1,
  partially_filled: 2,
  filled: 3,
  cancelled: 3,
  expired: 3,
  rejected_by_venue: 3,
};

function unchanged(o: OrderRecord): OutcomePlan {
  return {
    changed: false,
    status: o.status,
    final: isFinal(o.status),
    filledQuantity: o.filledQuantity,
    fillDelta: 0,
    avgPrice: null,
    venueOrderId: null,
    reservation: { kind: 'keep' },
    uncount: false,
    unpass: false,
    code: null,
  };
}

function neverPlaced(code: string): OutcomePlan {
  return {
    changed: true,
    status: 'rejected_by_venue',
    final: true,
    filledQuantity: 0,
    fillDelta: 0,
    avgPrice: null,
    venueOrderId: null,
    reservation: { kind: 'release' },
    uncount: true,
    unpass: true,
    code,
  };
}

/** The state a venue's report maps to, given what has filled. */
function reported(status: VenueStatus, filled: number): OrderState {
  if (status === 'rejected') return filled > 0 ? 'cancelled' : 'rejected_by_venue';
  if (status === 'open' && filled > 0) return 'partially_filled';
  return status;
}

/**
 * The reservation left after `filled` of the order has filled: its unfilled share, released entirely once the
 * order is final or nothing is left. Never negative, never larger than it was made.
 */
export function reservationAfter(
  reservation: OrderRecord['reservation'],
  filled: number,
  final: boolean,
): ReservationPlan {
  if (reservation === null) return { kind: 'keep' };
  if (final) return { kind: 'release' };
  const remaining = reservation.quantity - filled;
  if (!(remaining > 0) || !(reservation.quantity > 0)) return { kind: 'release' };
  if (!(filled > 0)) return { kind: 'keep' };
  return {
    kind: 'shrink',
    quantity: remaining,
    notional: reservation.notional * (remaining / reservation.quantity),
  };
}

/** What one venue answer does to one order. Pure; the stores execute it under the account lock. */
export function planOutcome(order: OrderRecord, answer: VenueAnswer): OutcomePlan {
  const from = order.status;
  if (isFinal(from)) return unchanged(order);
  const unresolved = UNRESOLVED_STATES.has(from);
  switch (answer.kind) {
    case 'no_answer':
      if (from !== 'forwarding') return unchanged(order);
      return { ...unchanged(order), changed: true, status: 'unknown', code: answer.code };
    case 'refused':
    case 'not_found':
      // An order the venue has already shown us cannot have been refused: a lookup that misses it is a venue
      // inconsistency, not an answer about its fate.
      return unresolved ? neverPlaced(answer.code) : unchanged(order);
    case 'order': {
      const filled = Math.max(order.filledQuantity, Number.isFinite(answer.filledQuantity) ? answer.filledQuantity : 0);
      let to = reported(answer.status, filled);
      // An order the venue had already taken and now reports rejected ended unfilled there: it was placed.
      if (to === 'rejected_by_venue' && !unresolved) to = 'cancelled';
      if (RANK[to] < RANK[from] || !canTransition(from, to)) to = from;
      const final = isFinal(to);
      if (to === 'rejected_by_venue') return { ...neverPlaced('VENUE_REJECTED'), venueOrderId: answer.venueOrderId };
      const reservation = reservationAfter(order.reservation, filled, final);
      const fillDelta = filled - order.filledQuantity;
      const changed = to !== from || fillDelta > 0 || reservation.kind !== 'keep';
      return {
        changed,
        status: to,
        final,
        filledQuantity: filled,
        fillDelta,
        avgPrice: answer.avgPrice,
        venueOrderId: answer.venueOrderId,
        reservation,
        uncount: false,
        unpass: false,
        code: null,
      };
    }
  }
}

/**
 * How a venue error on placing an order maps to an answer. A refusal means the order is not at the venue; an
 * error that may have happened after the venue took the order (a timeout, the venue down, anything unrecognised)
 * leaves its fate unknown.
 */
export const REFUSAL_CODES: ReadonlySet<string> = new Set([
  'INVALID_ORDER',
  'INSUFFICIENT_BALANCE',
  'AUTH_FAILED',
  'RATE_LIMITED',
  'VENUE_UNAVAILABLE',
]);

export function answerForError(code: string, message: string): VenueAnswer {
  return REFUSAL_CODES.has(code) ? { kind: 'refused', code, message } : { kind: 'no_answer', code, message };
}

/** The UTC calendar day (YYYY-MM-DD) of `ms`: the day daily counts belong to. The current day is remembered. */
let dayFrom = 0;
let dayTo = 0;
let dayText = '';
export function utcDay(ms: number): string {
  if (ms >= dayFrom && ms < dayTo) return dayText;
  const text = new Date(ms).toISOString().slice(0, 10);
  dayFrom = ms - (((ms % 86_400_000) + 86_400_000) % 86_400_000);
  dayTo = dayFrom + 86_400_000;
  dayText = text;
  return text;
}
