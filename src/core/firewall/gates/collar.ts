import { reason } from '../reasons.js';
import { predictionCollar } from './prediction.js';
import { type GateResult, need, reject, type Working } from './working.js';

/** Gate 6: a limit price further than the collar from the mid is a fat finger, whichever side it is on. */
export function checkCollar(w: Working): GateResult {
  const cents = predictionCollar(w);
  if (cents !== undefined) return cents;
  const intent = need(w.intent, 'the intent');
  if (intent.limit_price === null) return null;
  const mid = need(w.mid, 'the mid price');
  const collar = need(w.mandate, 'the mandate').arbiter.collar_pct;
  const deviation = (Math.abs(intent.limit_price - mid) / mid) * 100;
  if (!(deviation <= collar)) {
    return reject(
      reason('PRICE_OUTSIDE_COLLAR', {
        limit_price: intent.limit_price,
        mid,
        deviation_pct: deviation,
        collar_pct: collar,
      }),
    );
  }
  return null;
}
