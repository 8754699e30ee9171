import { reason } from '../reasons.js';
import { type GateResult, pause, reject, type Working } from './working.js';

/** Gate 1: no valid mandate, no trading; an expired consent asks the human to re-authorise. */
export function checkMandate(w: Working): GateResult {
  const load = w.ctx.mandate;
  if (!load.ok) return reject({ code: load.code, message: load.message });
  const expires = Date.parse(load.mandate.consent.expires_at);
  if (!(expires > w.ctx.now)) {
    return pause(reason('MANDATE_EXPIRED', { expires_at: load.mandate.consent.expires_at }));
  }
  return null;
}
