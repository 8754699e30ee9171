import { floorToStep, roundToStep } from '../../market/precision.js';
import type { Quote } from '../../market/types.js';
import type { EvaluationContext, NormalizedIntent } from '../types.js';

/** The side's quote price if the quote is usable at all (positive, uncrossed); otherwise undefined. */
export function sidePrice(intent: NormalizedIntent, quote: Quote | null): number | undefined {
  if (!quote || !(quote.bid > 0) || !(quote.ask > 0) || !Number.isFinite(quote.bid) || !Number.isFinite(quote.ask))
    return undefined;
  if (quote.bid >= quote.ask) return undefined;
  return intent.side === 'buy' ? quote.ask : quote.bid;
}

/** Sizing price: a limit order is sized at the worse (larger-notional) of quote and limit. */
export function sizingPrice(intent: NormalizedIntent, ref: number): number {
  return intent.limit_price !== null ? Math.max(ref, intent.limit_price) : ref;
}

/**
 * Base quantity the order asks for. With both quantity and notional, the larger is enforced; a notional-only
 * order is converted at the sizing price.
 */
export function requestedQuantity(intent: NormalizedIntent, price: number): number {
  const fromNotional = intent.notional !== null ? intent.notional / price : 0;
  return Math.max(intent.quantity ?? 0, fromNotional);
}

export function estimateQuantity(intent: NormalizedIntent, ctx: EvaluationContext): number | undefined {
  if (intent.notional === null) return intent.quantity ?? undefined;
  const ref = sidePrice(intent, ctx.quote);
  if (ref === undefined) return undefined;
  return requestedQuantity(intent, sizingPrice(intent, ref));
}

/**
 * Largest quantity on the instrument's step grid whose notional stays within `notional` and that is no more than
 * `maxQty`. Rounding only ever makes an order smaller, and a quantity already on the grid is kept: notional / price
 * can fall an ulp short of the quantity it came from (0.29 · p / p), so the step above the first guess is tried by
 * its own notional, and the guess is stepped down while floating point says it is over.
 */
export function quantityWithin(
  notional: number,
  price: number,
  step: number,
  maxQty = Number.POSITIVE_INFINITY,
): number {
  const raw = Math.min(notional / price, maxQty);
  // A price so small that the notional buys an unbounded quantity (a subnormal quote or limit) sizes nothing.
  if (!Number.isFinite(raw)) return 0;
  let qty = floorToStep(raw, step);
  for (let up = roundToStep(qty + step, step); up > qty && fits(up, price, notional, maxQty); ) {
    qty = up;
    up = roundToStep(qty + step, step);
  }
  while (qty > 0 && !fits(qty, price, notional, maxQty)) {
    const down = roundToStep(qty - step, step);
    // Beyond the grid's resolution one step down is the same double: nothing on the grid is known to fit.
    if (!(down < qty)) return 0;
    qty = down;
  }
  return qty > 0 ? qty : 0;
}

function fits(qty: number, price: number, notional: number, maxQty: number): boolean {
  return qty <= maxQty && qty * price <= notional;
}
