import { reason } from '../reasons.js';
import { type GateResult, need, pause, reject, type Working } from './working.js';

/**
 * Gate 10: post-trade gross exposure and leverage (exposure ÷ funding), and, where the mandate says so (one without
 * an `arbiter` block), the funding as a ceiling for buys. A `reduce_only` flag is verified against the position; a
 * spot (or outcome-token) sell beyond the holding is refused (no naked shorts); a genuine reduction passes.
 */
export function checkExposure(w: Working): GateResult {
  const m = need(w.mandate, 'the mandate');
  const intent = need(w.intent, 'the intent');
  const inst = need(w.instrument, 'the instrument');
  const pos = w.ctx.account.position.qty;
  if (intent.reduce_only && !w.reduces)
    return reject(reason('REDUCE_ONLY_NOT_REDUCING', { side: intent.side, position: pos, quantity: w.requestedQty }));
  if ((inst.kind === 'spot' || inst.kind === 'prediction') && intent.side === 'sell' && !w.reduces)
    return reject(reason('INSUFFICIENT_POSITION', { symbol: inst.symbol, position: pos, quantity: w.requestedQty }));
  const maxLev = Math.min(m.hard_caps.max_leverage, inst.maxLeverage);
  if (intent.leverage !== null && intent.leverage > maxLev)
    return reject(reason('LEVERAGE_EXCEEDS_CAP', { requested: intent.leverage, max: maxLev }));
  if (w.reduces) return null;
  // On a live venue the firewall judges on the venue's account state: too old, and nothing new is added.
  const synced = w.ctx.account.synced_at ?? null;
  const maxAge = m.arbiter.max_account_staleness_ms;
  if (w.ctx.live && (synced === null || w.ctx.now - synced > maxAge))
    return reject(reason('ACCOUNT_STATE_STALE', { synced_at: synced, max_age_ms: maxAge }));

  const funding = m.hard_caps.account_funding_usd;
  const exposureCap = m.hard_caps.max_total_exposure_usd;
  const leverageCap = m.hard_caps.max_leverage * funding;
  // Vibe-Trading's own ceiling (a mandate without an `arbiter` block): a buy may not take gross exposure past the
  // funding, whatever the leverage cap allows. Checked after the other two, as there.
  const fundingCap = m.arbiter.funding_ceiling === true && intent.side === 'buy' ? funding : Number.POSITIVE_INFINITY;
  const cap = Math.min(exposureCap, leverageCap, fundingCap);
  const binding =
    exposureCap === cap
      ? 'EXPOSURE_EXCEEDS_CAP'
      : leverageCap === cap
        ? 'LEVERAGE_EXCEEDS_CAP'
        : 'FUNDING_CEILING_EXCEEDED';
  const current = w.ctx.account.gross_exposure;
  const notional = need(w.notional, 'the notional');
  if (current + notional <= cap) return null;
  const headroom = cap - current;
  const r =
    binding === 'EXPOSURE_EXCEEDS_CAP'
      ? reason(binding, { exposure: current, notional, cap })
      : binding === 'LEVERAGE_EXCEEDS_CAP'
        ? reason(binding, { leverage: (current + notional) / funding, max: m.hard_caps.max_leverage })
        : reason(binding, { exposure: current + notional, funding });
  if (m.arbiter.allow_capping && headroom >= inst.minNotional && headroom > 0)
    return { status: 'capped', notional: headroom, reason: r };
  return pause(r);
}
