import { ADX, BollingerBands, EMA, RSI } from 'trading-signals';
import { hashUniform } from '../rng.js';
import type { DecisionNote, Observation } from '../types.js';
import { r6, SignalAgent } from './signal-agent.js';

/**
 * Seeded random benchmark: on a few bars (by a stateless draw per bar) it flips between flat and long. Its draws
 * come from its own seed and the run's (`--seed`), so another run seed flips on other bars; run seed 0 leaves the
 * agent's own seed as it is.
 */
export class RandomAgent extends SignalAgent {
  private state = 0;
  private readonly draws: number;
  constructor(
    id: string,
    private readonly seed: number,
    private readonly flipProbability = 0.02,
    private readonly runSeed = 0,
  ) {
    super(id);
    this.draws = (seed ^ Math.imul(runSeed, 0x9e3779b1)) >>> 0;
  }
  protected update(_obs: Observation, i: number): void {
    if (hashUniform(this.draws, i) < this.flipProbability) this.state = hashUniform(this.draws, i, 1) < 0.5 ? 0 : 1;
  }
  protected target(): number {
    return this.state;
  }
  protected why(target: number): DecisionNote {
    return {
      reason: `benchmark: seeded coin flip (seed ${this.seed}, run seed ${this.runSeed}) says ${target > 0 ? 'long' : 'flat'}`,
      inputs: {},
    };
  }
}

/** Trend vs range: ADX above `threshold` trades an EMA(20/50) trend rule, below it a Bollinger reversion rule. */
export class RegimeSwitchAgent extends SignalAgent {
  private readonly adx: ADX;
  private readonly fast = new EMA(20);
  private readonly slow = new EMA(50);
  private readonly bands = new BollingerBands(20, 2);
  private adxValue: number | null = null;
  private trending = false;
  private state = 0;

  constructor(
    id: string,
    period: number,
    private readonly threshold: number,
  ) {
    super(id);
    this.adx = new ADX(period);
  }

  protected update(obs: Observation, i: number): void {
    const c = obs.spot.close.at(i);
    this.adxValue = this.adx.add({ high: obs.spot.high.at(i), low: obs.spot.low.at(i), close: c });
    const f = this.fast.add(c);
    const s = this.slow.add(c);
    const band = this.bands.add(c);
    this.trending = this.adxValue !== null && this.adxValue > this.threshold;
    if (this.trending) this.state = this.slow.isStable && f !== null && s !== null && f > s ? 1 : 0;
    else if (band && c < band.lower) this.state = 1;
    else if (band && c > band.middle) this.state = 0;
  }

  protected target(): number {
    return this.state;
  }

  protected why(target: number): DecisionNote {
    const regime = this.trending ? 'trend (ema 20/50)' : 'range (bollinger 20, 2σ)';
    return { reason: `${regime} regime says ${target > 0 ? 'long' : 'flat'}`, inputs: { adx: r6(this.adxValue) } };
  }
}

const STATES = 18;

/**
 * Tabular Q-learning over 18 states (10-bar return bucket × RSI bucket × held or not) and two actions (flat,
 * long), learning online from each bar's return with ε-greedy exploration drawn by bar index. It learns from
 * the bars alone (the reward assumes the intended position was held), so it too rebuilds itself from history.
 */
export class QLearningAgent extends SignalAgent {
  private readonly q = new Float64Array(STATES * 2);
  private readonly rsi = new RSI(14);
  private prevClose = Number.NaN;
  private prevState = -1;
  private action = 0;
  private lastReward = 0;

  constructor(
    id: string,
    private readonly seed: number,
    private readonly alpha = 0.1,
    private readonly gamma = 0.9,
    private readonly epsilon = 0.05,
    private readonly cost = 0.001,
  ) {
    super(id);
  }

  private stateAt(obs: Observation, i: number, rsi: number | null): number {
    const past = obs.spot.close.at(i - 10);
    const ret = Number.isNaN(past) ? 0 : obs.spot.close.at(i) / past - 1;
    const r = ret < -0.01 ? 0 : ret > 0.01 ? 2 : 1;
    const m = rsi === null ? 1 : rsi < 35 ? 0 : rsi > 65 ? 2 : 1;
    return (r * 3 + m) * 2 + this.action;
  }

  protected update(obs: Observation, i: number): void {
    const c = obs.spot.close.at(i);
    const rsi = this.rsi.add(c);
    const s = this.stateAt(obs, i, rsi);
    if (this.prevState >= 0 && this.prevClose > 0) {
      const prevAction = this.prevState % 2;
      this.lastReward = this.action * (c / this.prevClose - 1) - this.cost * Math.abs(this.action - prevAction);
      const k = this.prevState * 2 + this.action;
      const best = Math.max(this.q[s * 2]!, this.q[s * 2 + 1]!);
      this.q[k]! += this.alpha * (this.lastReward + this.gamma * best - this.q[k]!);
    }
    const explore = hashUniform(this.seed, i, 7) < this.epsilon;
    const greedy = this.q[s * 2 + 1]! > this.q[s * 2]! ? 1 : 0;
    this.action = explore ? (hashUniform(this.seed, i, 8) < 0.5 ? 0 : 1) : greedy;
    this.prevState = s;
    this.prevClose = c;
  }

  protected target(): number {
    return this.action;
  }

  protected why(target: number): DecisionNote {
    const s = this.prevState;
    return {
      reason: `q-learning picks ${target > 0 ? 'long' : 'flat'} in state ${s}`,
      inputs: { q_flat: r6(this.q[s * 2]), q_long: r6(this.q[s * 2 + 1]), last_reward: r6(this.lastReward) },
    };
  }
}
