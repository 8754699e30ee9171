import type { Agent, AgentIntent, DecisionNote, Observation, Slot } from '../types.js';
import { rebalance } from './sizing.js';

/**
 * An agent whose target exposure is a pure function of the closed bars it has seen. It feeds each closed bar to
 * its indicators once (incrementally), and trades only when the target changes (or on the first bar of the run),
 * so a restarted agent rebuilds its exact state by feeding the history again: nothing to persist.
 */
export abstract class SignalAgent implements Agent {
  private fed = 0;
  private previous = 0;
  private current = 0;
  private note: DecisionNote | null = null;

  constructor(
    readonly id: string,
    protected readonly slot: Slot = 'spot',
  ) {}

  /** Feeds closed bar `i` (absolute index) to the indicators. */
  protected abstract update(obs: Observation, i: number): void;
  /** The target exposure after everything fed so far (a fraction of equity, −1…1). */
  protected abstract target(): number;
  /** What the last target was based on, for the decision trace. */
  protected abstract why(target: number): DecisionNote;

  decide(obs: Observation): AgentIntent | null {
    const n = obs.spot.close.length;
    while (this.fed < n) {
      this.update(obs, this.fed);
      this.fed += 1;
      this.previous = this.current;
      this.current = this.target();
    }
    if (this.current === this.previous && obs.bar !== obs.startBar) return null;
    const intent = rebalance(obs, this.slot, this.current);
    if (intent) this.note = this.why(this.current);
    return intent;
  }

  explain(): DecisionNote | null {
    return this.note;
  }
}

/** Rounds for decision traces: enough digits to follow the reasoning, few enough to read. */
export function r6(x: number | null | undefined): number | null {
  return x === null || x === undefined || !Number.isFinite(x) ? null : Math.round(x * 1e6) / 1e6;
}
