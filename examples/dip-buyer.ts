import type { Agent, AgentIntent, Observation } from 'arbiter';

/** Buys $500 of spot after a 2% down bar; otherwise holds. */
export default {
  id: 'dip-buyer',
  decide(obs: Observation): AgentIntent | null {
    const c = obs.spot.close; // closed bars only, oldest first
    const last = c.at(c.length - 1);
    const prev = c.at(c.length - 2);
    return last < prev * 0.98 ? { symbol: obs.spot.symbol, side: 'buy', notional: 500 } : null;
  },
} satisfies Agent;
