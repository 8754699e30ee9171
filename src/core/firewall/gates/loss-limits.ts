import { reason } from '../reasons.js';
import { type GateResult, need, reject, type Working } from './working.js';

/** Gate 12: past the daily loss or the drawdown limit, only reductions pass. */
export function checkLossLimits(w: Working): GateResult {
  if (w.reduces) return null;
  const m = need(w.mandate, 'the mandate');
  const a = w.ctx.account;
  const maxLoss = (m.arbiter.max_daily_loss_pct / 100) * m.hard_caps.account_funding_usd;
  const dayLoss = a.day_start_equity - a.equity;
  if (!(dayLoss < maxLoss)) return reject(reason('DAILY_LOSS_LIMIT', { loss_usd: dayLoss, max_usd: maxLoss }));
  const drawdown = a.peak_equity > 0 ? ((a.peak_equity - a.equity) / a.peak_equity) * 100 : 0;
  if (!(drawdown < m.arbiter.max_drawdown_pct))
    return reject(reason('DRAWDOWN_LIMIT', { drawdown_pct: drawdown, max_pct: m.arbiter.max_drawdown_pct }));
  return null;
}
