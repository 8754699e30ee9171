import { reason } from '../reasons.js';
import { type GateResult, need, reject, type Working } from './working.js';

/**
 * Gate 7: the same content from the same agent inside the window is refused, and so is a client order id this
 * agent already bound to an order with other content. (The same client order id with the same content never
 * reaches evaluate: the store answers it with the original verdict and its order, unchanged.)
 */
export function checkDuplicate(w: Working): GateResult {
  if (w.ctx.client_order_id_reused) {
    const coid = need(w.intent, 'the intent').client_order_id;
    return reject(reason('CLIENT_ORDER_ID_REUSED', { client_order_id: coid, agent: w.ctx.agent_id }));
  }
  if (!w.ctx.recent_duplicate) return null;
  const window = need(w.mandate, 'the mandate').arbiter.duplicate_window_ms;
  return reject(reason('DUPLICATE_ORDER', { agent: w.ctx.agent_id, window_ms: window }));
}
