import type { AgentIntent, Observation, Slot } from '../types.js';

/** Targets are sized off equity × this, leaving room for fees and the spread. */
export const FEE_BUFFER = 0.98;

/**
 * The intent that moves `slot`'s position to `target` × equity (target in [−1, 1]; spot is clamped to ≥ 0), or
 * null when the position is already within `band` × equity of it or the market has no such slot. Buys are sized by notional, sells by quantity;
 * a move toward zero is marked reduce-only, so the firewall lets it through even past a loss limit.
 */
export function rebalance(obs: Observation, slot: Slot, target: number, band = 0.05): AgentIntent | null {
  const inst = obs[slot];
  if (!inst) return null; // a market without that slot (a stock has no perpetual)
  const price = inst.quote.mid;
  const equity = obs.account.equity;
  if (!(price > 0) || !(equity > 0)) return null;
  const t = slot === 'spot' ? Math.max(0, Math.min(1, target)) : Math.max(-1, Math.min(1, target));
  const held = obs.account.position(slot);
  const want = t === 0 ? 0 : (t * equity * FEE_BUFFER) / price;
  const diff = want - held;
  if (held === 0 && want === 0) return null;
  if (want !== 0 && Math.abs(diff * price) < band * equity) return null;
  const side = diff > 0 ? 'buy' : 'sell';
  const reduces =
    held !== 0 && (want === 0 || (Math.sign(want) === Math.sign(held) && Math.abs(want) < Math.abs(held)));
  const leverage = slot === 'perp' ? { leverage: 1 } : {};
  if (reduces) return { symbol: inst.symbol, side, quantity: Math.abs(diff), reduce_only: true, ...leverage };
  if (side === 'buy') return { symbol: inst.symbol, side, notional: diff * price, ...leverage };
  return { symbol: inst.symbol, side, quantity: -diff, ...leverage };
}
