import { reason } from '../reasons.js';
import { type GateResult, need, pause, type Working } from './working.js';

/**
 * Gate 9: the per-order notional cap. Oversize orders are cut to the cap where the mandate allows capping,
 * otherwise paused for the human (a quantitative breach). A genuine reduction is not size-capped: closing a
 * position must stay possible in one order.
 */
export function checkOrderCap(w: Working): GateResult {
  if (w.reduces) return null;
  const m = need(w.mandate, 'the mandate');
  const notional = need(w.notional, 'the notional');
  const cap = m.hard_caps.max_order_notional_usd;
  if (notional <= cap) return null;
  const r = reason('NOTIONAL_EXCEEDS_ORDER_CAP', { notional, cap });
  return m.arbiter.allow_capping ? { status: 'capped', notional: cap, reason: r } : pause(r);
}
