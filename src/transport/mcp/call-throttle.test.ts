import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CallThrottle } from './call-throttle.js';

/** The definition: a call is refused when the last second (or minute) already holds the limit's count. */
class Reference {
  private readonly calls = new Map<string, number[]>();
  constructor(
    private readonly perSecond: number,
    private readonly perMinute: number,
  ) {}
  take(agentId: string, now: number): string | null {
    const list = (this.calls.get(agentId) ?? []).filter((t) => t > now - 60_000);
    const lastSecond = list.filter((t) => t > now - 1_000).length;
    if (lastSecond >= this.perSecond) return `THROTTLE_MCP_CALLS: per_second=${this.perSecond}`;
    if (list.length >= this.perMinute) return `THROTTLE_MCP_CALLS: per_minute=${this.perMinute}`;
    list.push(now);
    this.calls.set(agentId, list);
    return null;
  }
}

describe('CallThrottle', () => {
  it('refuses exactly when the sliding window is full, per agent (property, against the definition)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.record({ agent: fc.constantFrom('a', 'b', 'c'), dt: fc.integer({ min: 0, max: 20_000 }) }), {
          maxLength: 3_000,
        }),
        (perSecond, perMinute, steps) => {
          const fast = new CallThrottle(perSecond, perMinute);
          const ref = new Reference(perSecond, perMinute);
          let now = 1_700_000_000_000;
          for (const s of steps) {
            now += s.dt % 7 === 0 ? s.dt : s.dt % 400; // mostly dense calls, sometimes long gaps
            const peeked = fast.peek(s.agent, now);
            const taken = fast.take(s.agent, now);
            expect(taken).toBe(ref.take(s.agent, now));
            expect(peeked, 'peek says what take then does').toBe(taken);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps the window exact across the compaction of old times', () => {
    const fast = new CallThrottle(1_000_000, 1_000_000);
    const ref = new Reference(1_000_000, 1_000_000);
    for (let i = 0; i < 5_000; i++) expect(fast.take('a', i * 50)).toBe(ref.take('a', i * 50));
    const tight = new CallThrottle(3, 100);
    expect([0, 1, 2, 3].map((t) => tight.take('x', 10_000 + t))).toEqual([
      null,
      null,
      null,
      'THROTTLE_MCP_CALLS: per_second=3',
    ]);
    expect(tight.take('x', 11_000)).toBeNull(); // the first call has left the last second
    expect(tight.take('y', 10_003)).toBeNull(); // another agent has its own budget
  });

  it('does not shorten the window when the clock steps back', () => {
    const t = new CallThrottle(2, 100);
    expect(t.take('a', 5_000)).toBeNull();
    expect(t.take('a', 4_000)).toBeNull(); // counted as 5,000
    expect(t.take('a', 5_500)).toBe('THROTTLE_MCP_CALLS: per_second=2');
  });
});
