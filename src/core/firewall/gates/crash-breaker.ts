import { reason } from '../reasons.js';
import { type GateResult, need, reject, type Working } from './working.js';

/** How far below the window high the price must have come back for a tripped breaker to clear (fraction). */
export const BREAKER_RECOVERY_FRACTION = 0.5;

/** Drop of the mid below the window high, in percent (0 when unknown). */
export function dropPct(w: Working): number {
  const high = w.ctx.market.window_high;
  const mid = need(w.mid, 'the mid price');
  if (high === null || !(high > 0)) return 0;
  return Math.max(0, ((high - mid) / high) * 100);
}

/**
 * Gate 13: a crash (the reference price more than drop_pct below its window high) puts the whole fleet in
 * reduce-only. It stays tripped until the price recovers to within half the drop, or a human resets it.
 */
export function checkCrashBreaker(w: Working): GateResult {
  const limit = need(w.mandate, 'the mandate').arbiter.crash_breaker.drop_pct;
  const drop = dropPct(w);
  const crashing = drop > limit;
  const stillTripped = w.ctx.market.breaker_tripped && drop > limit * BREAKER_RECOVERY_FRACTION;
  if (!crashing && !stillTripped) return null;
  if (w.reduces) return null;
  return reject(reason('CRASH_BREAKER', { drop_pct: drop, limit_pct: limit }));
}
