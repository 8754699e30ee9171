import { DonchianChannels, ROC } from 'trading-signals';
import type { DecisionNote, Observation } from '../types.js';
import { r6, SignalAgent } from './signal-agent.js';

/** Buy-and-hold benchmark: fully long spot from the first bar, never trades again. */
export class BuyAndHoldAgent extends SignalAgent {
  protected update(): void {}
  protected target(): number {
    return 1;
  }
  protected why(): DecisionNote {
    return { reason: 'benchmark: hold spot for the whole run', inputs: {} };
  }
}

/** Time-series momentum: long spot while the `lookback`-bar rate of change is positive, flat otherwise. */
export class MomentumAgent extends SignalAgent {
  private readonly roc: ROC;
  private value: number | null = null;

  constructor(
    id: string,
    private readonly lookback: number,
  ) {
    super(id);
    this.roc = new ROC(lookback);
  }

  protected update(obs: Observation, i: number): void {
    this.value = this.roc.add(obs.spot.close.at(i));
  }

  protected target(): number {
    return this.value !== null && this.value > 0 ? 1 : 0;
  }

  protected why(target: number): DecisionNote {
    const sign = target > 0 ? '> 0: long' : '≤ 0: flat';
    return { reason: `roc(${this.lookback}) ${sign}`, inputs: { roc: r6(this.value) } };
  }
}

/** Donchian breakout: long when the close breaks the prior `period`-bar high, flat when it breaks the low. */
export class BreakoutAgent extends SignalAgent {
  private readonly channel: DonchianChannels;
  private upper: number | null = null;
  private lower: number | null = null;
  private close = Number.NaN;
  private state = 0;

  constructor(
    id: string,
    private readonly period: number,
  ) {
    super(id);
    this.channel = new DonchianChannels(period);
  }

  protected update(obs: Observation, i: number): void {
    const c = obs.spot.close.at(i);
    this.close = c;
    // Compare with the channel of the bars BEFORE this one, then add this bar.
    if (this.upper !== null && c > this.upper) this.state = 1;
    else if (this.lower !== null && c < this.lower) this.state = 0;
    const r = this.channel.add({ high: obs.spot.high.at(i), low: obs.spot.low.at(i) });
    this.upper = r?.upper ?? null;
    this.lower = r?.lower ?? null;
  }

  protected target(): number {
    return this.state;
  }

  protected why(target: number): DecisionNote {
    return {
      reason:
        target > 0 ? `close broke the ${this.period}-bar high: long` : `close broke the ${this.period}-bar low: flat`,
      inputs: { close: r6(this.close), upper: r6(this.upper), lower: r6(this.lower) },
    };
  }
}
