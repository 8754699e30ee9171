import { parseIntent } from '../intent.js';
import { reason } from '../reasons.js';
import { estimateQuantity } from './sizing.js';
import { type GateResult, isReduction, reject, type Working } from './working.js';

/** Gate 2: while any halt applies (global, venue, agent) only a genuine reduction passes. */
export function checkHalt(w: Working): GateResult {
  const h = w.ctx.halts;
  if (!h.global && !h.venue && !h.agent) return null;
  const parsed = parseIntent(w.raw);
  if (parsed.ok && isReduction(parsed.intent, estimateQuantity(parsed.intent, w.ctx), w.ctx)) return null;
  if (h.global) return reject(reason('HALTED_GLOBAL'));
  if (h.venue) return reject(reason('HALTED_VENUE', { venue: w.ctx.venue }));
  return reject(reason('HALTED_AGENT', { agent: w.ctx.agent_id }));
}
