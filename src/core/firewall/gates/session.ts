import { sessionAt } from '../../market/calendar/session.js';
import { reason } from '../reasons.js';
import { type GateResult, need, reject, type Working } from './working.js';

/**
 * Gate 4, first step: an instrument with a trading calendar trades only in its regular session, or also in its
 * extended hours when the mandate says `extended_hours: true`. Reductions too: a closed market fills nothing.
 * Without a calendar (crypto) the instrument trades around the clock and this step passes; an unknown instrument
 * is left to the reference-price step (INSTRUMENT_UNKNOWN).
 */
export function checkSession(w: Working): GateResult {
  const inst = w.ctx.instrument;
  const cal = inst?.calendar;
  if (inst === null || cal === undefined || cal.kind === 'always') return null;
  const s = sessionAt(cal, w.ctx.now);
  if (s.phase === 'regular') return null;
  const extended = need(w.mandate, 'the mandate').arbiter.extended_hours === true;
  if (s.phase === 'extended' && extended) return null;
  return reject(
    reason('MARKET_CLOSED', {
      symbol: inst.symbol,
      session: s.phase,
      date: s.date,
      extended_hours: extended,
      next_open: s.next_open === null ? null : new Date(s.next_open).toISOString(),
    }),
  );
}
