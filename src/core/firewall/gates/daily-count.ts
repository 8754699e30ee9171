import { reason } from '../reasons.js';
import { type GateResult, need, pause, reject, type Working } from './working.js';

/**
 * Gate 11: trades per UTC day, counted in the store with the verdict and in Vibe-Trading's counter file. An order
 * whose count could not be read under the shared submission lock is refused (fail-closed, as Vibe-Trading does).
 */
export function checkDailyCount(w: Working): GateResult {
  if (w.ctx.order_lock_busy === true) return reject(reason('ORDER_SUBMISSION_BUSY', { broker: w.ctx.venue }));
  const max = need(w.mandate, 'the mandate').hard_caps.max_trades_per_day;
  const count = w.ctx.account.daily_count;
  return count >= max ? pause(reason('DAILY_TRADE_LIMIT', { count, max })) : null;
}
