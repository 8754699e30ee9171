/**
 * Your own arena agent: a file whose default export is an agent, a factory, or a list of them (each one a
 * trial: the Deflated Sharpe counts every parameter set you try). Run it beside the built-in benchmarks:
 *
 *   npx arbiter arena run --source csv:data/BTCUSDT_1h.csv --agents buy-hold,random \
 *     --agent-file examples/my-agent.ts --out runs/mine
 *   npx arbiter arena report runs/mine
 *
 * On Node 20 a .ts agent file needs tsx (installed with the dev dependencies) or a compile to .js first.
 */

import { type Agent, type AgentIntent, type DecisionNote, type Observation, rebalance } from 'arbiter';
import { EMA } from 'trading-signals';

/** Long spot while the fast EMA is above the slow one; flat otherwise. Trades only when that changes. */
class EmaCross implements Agent {
  readonly id: string;
  private readonly fast: EMA;
  private readonly slow: EMA;
  private fed = 0;
  private long = false;
  private note: DecisionNote | null = null;

  constructor(
    private readonly fastPeriod: number,
    private readonly slowPeriod: number,
  ) {
    this.id = `ema-${fastPeriod}-${slowPeriod}`;
    this.fast = new EMA(fastPeriod);
    this.slow = new EMA(slowPeriod);
  }

  decide(obs: Observation): AgentIntent | null {
    // The observation holds closed bars only; feed the ones not seen yet (all of them after a restart).
    const closes = obs.spot.close;
    while (this.fed < closes.length) {
      const c = closes.at(this.fed++);
      this.fast.add(c);
      this.slow.add(c);
    }
    const f = this.fast.getResult();
    const s = this.slow.getResult();
    if (f === null || s === null || !this.slow.isStable) return null;
    const long = f > s;
    if (long === this.long && obs.bar !== obs.startBar) return null;
    this.long = long;
    this.note = {
      reason: `ema(${this.fastPeriod}) ${long ? '>' : '≤'} ema(${this.slowPeriod})`,
      inputs: { fast: f, slow: s },
    };
    // Sized off the arena's books for this agent; the firewall still has the last word on every order.
    return rebalance(obs, 'spot', long ? 1 : 0);
  }

  explain(): DecisionNote | null {
    return this.note;
  }
}

export default [() => new EmaCross(12, 48), () => new EmaCross(24, 96)];
