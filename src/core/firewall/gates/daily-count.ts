import { reason } from '../reasons.js';
import { type GateResult, need, pause, type Working } from './working.js';

/** Gate 11: trades per UTC day, counted in the store with the verdict. */
export function checkDailyCount(w: Working): GateResult {
  const max = need(w.mandate, 'the mandate').hard_caps.max_trades_per_day;
  const count = w.ctx.account.daily_count;
  return count >= max ? pause(reason('DAILY_TRADE_LIMIT', { count, max })) : null;
}
