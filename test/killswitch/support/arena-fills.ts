import { ADMIN, http } from './outside.js';

export interface Fill {
  agent_id: string;
  ts: number;
  symbol: string;
  side: 'buy' | 'sell';
  quantity: number;
  price: number;
}

/** The arena's fills, oldest first (the venue's, as the run's books booked them). */
export async function arenaFills(base: string): Promise<Fill[]> {
  return (await http(base, 'GET', '/v1/arena/trades?limit=5000', { token: ADMIN })).body.trades;
}

/**
 * Replays fills in order: the fills after `afterTs` that made a position larger, and every position at the end
 * with its notional at the last fill price of its symbol.
 */
export function replay(fills: readonly Fill[], afterTs: number) {
  const pos = new Map<string, number>();
  const px = new Map<string, number>();
  const grew: Fill[] = [];
  for (const t of fills) {
    const k = `${t.agent_id} ${t.symbol}`;
    const was = pos.get(k) ?? 0;
    const now = was + (t.side === 'buy' ? t.quantity : -t.quantity);
    if (t.ts > afterTs && Math.abs(now) > Math.abs(was) + 1e-12) grew.push(t);
    pos.set(k, now);
    px.set(t.symbol, t.price);
  }
  const open = [...pos].map(([k, q]) => ({ k, q, notional: Math.abs(q * (px.get(k.split(' ')[1]!) ?? 0)) }));
  return { grew, open };
}
