import { reason } from '../reasons.js';
import { type GateResult, need, type Working } from './working.js';

/**
 * Gate 14: a passing order above the approval threshold (or any live order, if so configured) waits for a
 * human. Reductions skip the threshold so de-risking is never delayed; `approve_all_live` covers them too.
 */
export function checkApproval(w: Working): GateResult {
  if (w.ctx.approved_by_human) return null;
  const x = need(w.mandate, 'the mandate').arbiter;
  const notional = need(w.notional, 'the notional');
  if (x.approve_all_live && w.ctx.live)
    return { status: 'fail', decision: 'PENDING_APPROVAL', reason: reason('APPROVAL_REQUIRED', { rule: 'all_live' }) };
  if (!w.reduces && x.approval_threshold_usd !== null && notional > x.approval_threshold_usd) {
    return {
      status: 'fail',
      decision: 'PENDING_APPROVAL',
      reason: reason('APPROVAL_REQUIRED', { notional, threshold: x.approval_threshold_usd }),
    };
  }
  return null;
}
