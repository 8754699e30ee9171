import { parseSymbol } from '../../market/symbols.js';
import { reason } from '../reasons.js';
import { type GateResult, need, reject, type Working } from './working.js';

/** `DOGE` excludes every DOGE market; `DOGE/USDT` excludes that pair in spot and perpetual form. */
function excludedBy(entry: string, symbol: string, base: string): boolean {
  const e = entry.trim().toUpperCase();
  if (e === base) return true;
  const p = parseSymbol(e);
  const s = parseSymbol(symbol);
  return (
    p !== null && s !== null && p.base === s.base && p.quote === s.quote && (p.kind === 'spot' || p.kind === s.kind)
  );
}

/**
 * Gate 5: exclude list first, then instrument type / market kind / asset class, then the allow-list, then the
 * liquidity and size floors. A genuine reduction passes: an excluded holding must still be sellable.
 */
export function checkUniverse(w: Working): GateResult {
  if (w.reduces) return null;
  const m = need(w.mandate, 'the mandate');
  const inst = need(w.instrument, 'the instrument');
  const sym = inst.symbol;
  const hit = m.universe.exclude_symbols.find((e) => excludedBy(e, sym, inst.base));
  if (hit !== undefined) return reject(reason('SYMBOL_EXCLUDED', { symbol: sym, entry: hit }));
  if (!m.hard_caps.allowed_instruments.includes(inst.instrumentType))
    return reject(reason('INSTRUMENT_NOT_ALLOWED', { symbol: sym, instrument: inst.instrumentType }));
  if (!m.arbiter.market_kinds.includes(inst.kind))
    return reject(reason('INSTRUMENT_NOT_ALLOWED', { symbol: sym, market_kind: inst.kind }));
  if (!m.universe.asset_classes.includes(inst.assetClass))
    return reject(reason('ASSET_CLASS_NOT_ALLOWED', { symbol: sym, asset_class: inst.assetClass }));
  if (m.arbiter.allow_symbols.length > 0) {
    const allowed = m.arbiter.allow_symbols.some((a) => parseSymbol(a)?.symbol === sym);
    if (!allowed) return reject(reason('SYMBOL_NOT_ALLOWED', { symbol: sym }));
  }
  const minCap = m.universe.min_market_cap_usd;
  if (minCap !== null) {
    if (inst.marketCapUsd === undefined) return reject(reason('UNIVERSE_DATA_MISSING', { field: 'market_cap_usd' }));
    if (inst.marketCapUsd < minCap)
      return reject(reason('MARKET_CAP_TOO_LOW', { market_cap_usd: inst.marketCapUsd, min: minCap }));
  }
  const minVol = m.universe.min_avg_daily_volume_usd;
  if (minVol !== null) {
    if (inst.avgDailyVolumeUsd === undefined)
      return reject(reason('UNIVERSE_DATA_MISSING', { field: 'avg_daily_volume_usd' }));
    if (inst.avgDailyVolumeUsd < minVol)
      return reject(reason('LIQUIDITY_TOO_LOW', { avg_daily_volume_usd: inst.avgDailyVolumeUsd, min: minVol }));
  }
  return null;
}
