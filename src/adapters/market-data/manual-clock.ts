import type { Clock } from '../../ports/clock.js';

/** A clock that moves only when told: for tests, simulations and step-by-step replays. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  set(ms: number): void {
    if (!Number.isFinite(ms)) throw new RangeError(`ManualClock.set: not a finite time: ${ms}`);
    this.current = ms;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`ManualClock.advance: not a non-negative duration: ${ms}`);
    this.current += ms;
  }
}
