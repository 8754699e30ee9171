import { reason } from '../reasons.js';
import { type GateResult, need, reject, type Working } from './working.js';

/** Gate 8: per-agent order rate. The counts are of this agent's earlier orders, this one excluded. */
export function checkThrottle(w: Working): GateResult {
  const t = need(w.mandate, 'the mandate').arbiter.throttle;
  const seen = w.ctx.throttle;
  if (seen.last_second >= t.per_second)
    return reject(reason('THROTTLE_PER_SECOND', { count: seen.last_second, limit: t.per_second }));
  if (seen.last_minute >= t.per_minute)
    return reject(reason('THROTTLE_PER_MINUTE', { count: seen.last_minute, limit: t.per_minute }));
  return null;
}
