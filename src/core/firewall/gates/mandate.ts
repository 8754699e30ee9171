import { consentState } from '../../mandate/consent.js';
import { reason } from '../reasons.js';
import { type GateResult, pause, reject, type Working } from './working.js';

/**
 * Gate 1: no valid mandate, no trading; an expired consent asks the human to re-authorise. Consent times are read
 * as Vibe-Trading reads them (ISO 8601, no zone = UTC); one that cannot be read counts as expired.
 */
export function checkMandate(w: Working): GateResult {
  const load = w.ctx.mandate;
  if (!load.ok) return reject({ code: load.code, message: load.message });
  const consent = load.mandate.consent;
  const state = consentState(consent, w.ctx.now);
  if (!state.valid) {
    return pause(
      reason('MANDATE_EXPIRED', {
        [state.field]: consent[state.field],
        ...(state.unreadable ? { readable: false } : {}),
      }),
    );
  }
  return null;
}
