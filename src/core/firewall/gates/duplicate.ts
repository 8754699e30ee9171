import { reason } from '../reasons.js';
import { type GateResult, need, reject, type Working } from './working.js';

/**
 * Gate 7: the same content from the same agent inside the window is refused. (The same client order id never
 * reaches evaluate: the store answers it with the original verdict, unchanged.)
 */
export function checkDuplicate(w: Working): GateResult {
  if (!w.ctx.recent_duplicate) return null;
  const window = need(w.mandate, 'the mandate').arbiter.duplicate_window_ms;
  return reject(reason('DUPLICATE_ORDER', { agent: w.ctx.agent_id, window_ms: window }));
}
