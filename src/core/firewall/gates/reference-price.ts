import { reason } from '../reasons.js';
import { type GateResult, need, reject, type Working } from './working.js';

/** Tolerated clock skew between the quote source and the firewall (ms). */
export const MAX_QUOTE_SKEW_MS = 2_000;

/** Gate 4: a usable reference price, or nothing trades (fail-closed). */
export function checkReferencePrice(w: Working): GateResult {
  const mandate = need(w.mandate, 'the mandate');
  const intent = need(w.intent, 'the intent');
  const q = w.ctx.quote;
  if (!q || q.symbol !== intent.symbol) return reject(reason('QUOTE_MISSING', { symbol: intent.symbol }));
  if (!Number.isFinite(q.bid) || !Number.isFinite(q.ask) || !(q.bid > 0) || !(q.ask > 0))
    return reject(reason('QUOTE_INVALID', { bid: q.bid, ask: q.ask }));
  if (q.bid > q.ask) return reject(reason('QUOTE_CROSSED', { bid: q.bid, ask: q.ask }));
  if (q.bid === q.ask) return reject(reason('QUOTE_LOCKED', { bid: q.bid, ask: q.ask }));
  if (!Number.isFinite(q.ts)) return reject(reason('QUOTE_INVALID', { ts: q.ts }));
  const age = w.ctx.now - q.ts;
  if (age > mandate.arbiter.max_quote_age_ms)
    return reject(reason('QUOTE_STALE', { age_ms: age, max_ms: mandate.arbiter.max_quote_age_ms }));
  if (age < -MAX_QUOTE_SKEW_MS) return reject(reason('QUOTE_FROM_FUTURE', { ahead_ms: -age }));
  const inst = w.ctx.instrument;
  if (!inst || inst.symbol !== intent.symbol) return reject(reason('INSTRUMENT_UNKNOWN', { symbol: intent.symbol }));
  return null;
}

/**
 * Runs once sizing is known: an order smaller than the venue accepts is refused before any cap. An order that
 * closes the whole position is not: the dust a position can end with is below every minimum, and must still close.
 */
export function checkMinimum(w: Working): GateResult {
  if (w.flattens) return null;
  const inst = need(w.instrument, 'the instrument');
  const qty = need(w.requestedQty, 'the quantity');
  const notional = need(w.requestedNotional, 'the notional');
  if (qty < inst.minQty || notional < inst.minNotional) {
    return reject(
      reason('ORDER_BELOW_MINIMUM', { quantity: qty, min_qty: inst.minQty, notional, min_notional: inst.minNotional }),
    );
  }
  return null;
}
