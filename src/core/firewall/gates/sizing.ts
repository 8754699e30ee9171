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
 * Largest quantity on the instrument's step grid whose notional stays within `notional`. Rounding only ever
 * makes an order smaller: after snapping down we step down again while floating point says we are over.
 */
export function quantityWithin(
  notional: number,
  price: number,
  step: number,
  maxQty = Number.POSITIVE_INFINITY,
): number {
  const decimals = step >= 1 ? 0 : Math.min(15, Math.ceil(-Math.log10(step) - 1e-9));
  const limitQty = Math.min(notional / price, maxQty);
  let steps = Math.floor(limitQty / step);
  let qty = Number((steps * step).toFixed(decimals));
  while (steps > 0 && (qty * price > notional || qty > maxQty)) {
    steps -= 1;
    qty = Number((steps * step).toFixed(decimals));
  }
  return steps > 0 ? qty : 0;
}
