import { describe, expect, it } from 'vitest';
import { ManualClock } from './manual-clock.js';

describe('ManualClock', () => {
  it('stands still until set or advanced', () => {
    const c = new ManualClock(1_000);
    expect(c.now()).toBe(1_000);
    c.advance(500);
    expect(c.now()).toBe(1_500);
    c.set(10);
    expect(c.now()).toBe(10);
  });

  it('refuses to move backwards by advance or to a time that is not finite', () => {
    const c = new ManualClock();
    expect(() => c.advance(-1)).toThrow(RangeError);
    expect(() => c.set(Number.NaN)).toThrow(RangeError);
  });
});
