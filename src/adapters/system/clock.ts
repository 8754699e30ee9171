import { randomFillSync } from 'node:crypto';
import type { Clock, IdGen } from '../../ports/clock.js';

export const systemClock: Clock = { now: () => Date.now() };

/** The system clock moved by `offsetMs` (a simulation at another time; it still advances in real time). */
export function offsetClock(offsetMs: number): Clock {
  return offsetMs === 0 ? systemClock : { now: () => Date.now() + offsetMs };
}

/**
 * Time-sortable unique ids: `<prefix>_<12 hex ms><4 hex counter><8 hex random>`. The counter keeps ids made in
 * the same millisecond ordered.
 */
export class RandomIdGen implements IdGen {
  private lastMs = 0;
  private counter = 0;
  constructor(private readonly clock: Clock = systemClock) {}
  next(prefix: string): string {
    const ms = this.clock.now();
    if (ms === this.lastMs) this.counter = (this.counter + 1) & 0xffff;
    else {
      this.lastMs = ms;
      this.counter = 0;
    }
    const t = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0');
    return `${prefix}_${t}${this.counter.toString(16).padStart(4, '0')}${this.random8()}`;
  }

  /** Random bits come from a pool refilled 1,024 ids at a time (one syscall instead of one per id). */
  private readonly pool = new Uint32Array(1_024);
  private used = this.pool.length;
  private random8(): string {
    if (this.used === this.pool.length) {
      randomFillSync(this.pool);
      this.used = 0;
    }
    return (this.pool[this.used++]! >>> 0).toString(16).padStart(8, '0');
  }
}

/** Deterministic ids for replays and simulations. */
export class SequentialIdGen implements IdGen {
  private n = 0;
  constructor(private readonly namespace = '') {}
  next(prefix: string): string {
    this.n += 1;
    return `${prefix}_${this.namespace}${this.n.toString().padStart(10, '0')}`;
  }
}
