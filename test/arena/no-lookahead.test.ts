import { describe, expect, it } from 'vitest';
import type { Agent, AgentIntent, Observation } from '../../src/core/arena/index.js';
import { arena } from './support/fixtures.js';

/** An agent that tries every way it can think of to see or change what it should not. */
class Cheater implements Agent {
  readonly id = 'cheater';
  readonly seen: { bar: number; length: number; future: number[]; current: number; quoteMid: number }[] = [];
  readonly writes: string[] = [];
  kept: Observation | null = null;

  decide(obs: Observation): AgentIntent | null {
    const c = obs.spot.close;
    this.seen.push({
      bar: obs.bar,
      length: c.length,
      future: [c.at(obs.bar), c.at(obs.bar + 1), c.at(c.length), c.last(-1), c.at(c.length - 0.5), c.at(1e9)],
      current: c.at(obs.bar),
      quoteMid: obs.spot.quote.mid,
    });
    const attempts: [string, () => void][] = [
      ['bar', () => ((obs as { bar: number }).bar = obs.bar + 10)],
      ['length', () => ((c as { length: number }).length = 1e9)],
      ['at', () => ((c as { at: unknown }).at = () => 1)],
      ['spot', () => ((obs as { spot: unknown }).spot = null)],
      ['new field', () => ((obs.spot.close as unknown as Record<string, unknown>).data = 1)],
      ['quote', () => ((obs.spot.quote as { bid: number }).bid = 1)],
      ['account', () => ((obs.account as { equity: number }).equity = 1e12)],
    ];
    for (const [name, attempt] of attempts) {
      try {
        attempt();
        this.writes.push(name);
      } catch {
        // refused: what we want
      }
    }
    this.kept = obs;
    return null;
  }
}

describe('arena observations', () => {
  it('show only closed bars: reading the current or any later bar gives NaN, never data', async () => {
    const cheater = new Cheater();
    const a = await arena([cheater], { bars: 30 });
    await a.engine.run();
    const f = a.source.frame;
    expect(cheater.seen).toHaveLength(30);
    for (const s of cheater.seen) {
      expect(s.length, 'closed bars are exactly the bars before the current one').toBe(s.bar);
      for (const v of s.future) expect(v, `bar ${s.bar}: a future read returned data`).toBeNaN();
      // The quote is the current bar's open (the price now), not its close.
      expect(Math.abs(s.quoteMid - f.spot.open[s.bar]!) / f.spot.open[s.bar]!).toBeLessThan(0.002);
    }
    expect(cheater.seen.at(-1)!.length).toBeLessThan(f.length);
    await a.close();
  });

  it('are frozen: an agent cannot move the replay, replace a view or change its account', async () => {
    const cheater = new Cheater();
    const a = await arena([cheater], { bars: 5 });
    await a.engine.run();
    expect(cheater.writes, 'writes that went through').toEqual([]);
    const obs = cheater.kept!;
    for (const o of [obs, obs.spot, obs.spot.close, obs.spot.quote, obs.account, obs.perp!.funding])
      expect(Object.isFrozen(o)).toBe(true);
    await a.close();
  });

  it('read the past consistently with the data and keep nothing of the future after the run', async () => {
    const seen: number[][] = [];
    const reader: Agent = {
      id: 'reader',
      decide: (obs) => {
        seen.push([obs.bar, obs.spot.close.last(), obs.spot.close.at(obs.bar - 1), obs.spot.high.last(0)]);
        return null;
      },
    };
    const a = await arena([reader], { bars: 10 });
    await a.engine.run();
    const f = a.source.frame;
    for (const [bar, last, at, high] of seen) {
      expect(last).toBe(f.spot.close[bar! - 1]);
      expect(at).toBe(f.spot.close[bar! - 1]);
      expect(high).toBe(f.spot.high[bar! - 1]);
    }
    await a.close();
  });
});
