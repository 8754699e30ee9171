import type { Json } from '../../cert/json-safe.js';
import type { Agent, AgentIntent, DecisionNote, Observation } from '../types.js';
import { rebalance } from './sizing.js';

/**
 * Funding carry on the perpetual: while the average of the last three settled funding rates is above
 * `threshold`, hold half the equity long spot and half short the perpetual (delta-neutral, collecting funding);
 * flat again when funding turns negative. One leg per bar; after a submission it waits `cooldown` bars before
 * retrying a leg unless the signal changes (that wait is the state it persists).
 */
export class FundingCarryAgent implements Agent {
  private fed = 0;
  private readonly recent = [Number.NaN, Number.NaN, Number.NaN];
  private carry = 0;
  private lastSubmit = -1_000_000;
  private lastCarry = 0;
  private note: DecisionNote | null = null;

  constructor(
    readonly id: string,
    private readonly threshold: number,
    private readonly cooldown = 8,
  ) {}

  private average(): number {
    const [a, b, c] = this.recent as [number, number, number];
    return (a + b + c) / 3;
  }

  decide(obs: Observation): AgentIntent | null {
    const perp = obs.perp;
    if (!perp) return null; // no perpetual (a stock): no funding to carry
    const n = perp.funding.length;
    while (this.fed < n) {
      const f = perp.funding.at(this.fed);
      this.fed += 1;
      if (Number.isNaN(f)) continue;
      this.recent.shift();
      this.recent.push(f);
      const avg = this.average();
      if (avg > this.threshold) this.carry = 1;
      else if (avg < 0) this.carry = 0;
    }
    const changed = this.carry !== this.lastCarry;
    if (!changed && obs.bar - this.lastSubmit < this.cooldown) return null;
    const intent = rebalance(obs, 'spot', 0.5 * this.carry, 0.1) ?? rebalance(obs, 'perp', -0.5 * this.carry, 0.1);
    this.lastCarry = this.carry;
    if (!intent) return null;
    this.lastSubmit = obs.bar;
    const avg = this.average();
    this.note = {
      reason: this.carry ? `avg funding ${avg} > ${this.threshold}: long spot, short perp` : 'funding turned: unwind',
      inputs: { avg_funding: Number.isFinite(avg) ? avg : null, leg: intent.symbol },
    };
    return intent;
  }

  explain(): DecisionNote | null {
    return this.note;
  }

  save(): Json {
    return { lastSubmit: this.lastSubmit, lastCarry: this.lastCarry };
  }

  restore(state: Json): void {
    const s = state as { lastSubmit?: unknown; lastCarry?: unknown };
    if (typeof s?.lastSubmit === 'number') this.lastSubmit = s.lastSubmit;
    if (typeof s?.lastCarry === 'number') this.lastCarry = s.lastCarry;
  }
}
