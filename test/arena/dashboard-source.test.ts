import { describe, expect, it } from 'vitest';
import { ArenaRuns } from '../../src/app/arena/dashboard-source.js';
import { fromSpecs } from '../../src/app/arena/roster.js';
import { selectSpecs } from '../../src/core/arena/index.js';
import { arena } from './support/fixtures.js';

describe('the arena as the dashboard reads it', () => {
  it('serves the run so far: ranked rows without NaN, curves, fills with their verdicts, seen candles only', async () => {
    const roster = fromSpecs(selectSpecs('buy-hold,momentum,random-1'));
    const a = await arena(
      roster.map((r) => r.agent),
      { bars: 80, runId: 'demo' },
    );
    const runs = new ArenaRuns(() => 1_000);
    runs.add(a.engine, { market: a.source.data.source, roster });
    const events: unknown[] = [];
    a.parts.deps.events.subscribe((e) => {
      if (e.type === 'leaderboard') events.push(e);
    });
    for (let i = 0; i < 30; i++) await a.engine.step();
    const mid = await runs.leaderboard();
    expect(mid?.run_id).toBe('demo');
    expect(mid?.rows.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5]);
    expect(JSON.stringify(mid)).not.toContain('NaN');
    const prices = await runs.priceSeries('demo');
    expect(prices[0]!.candles).toHaveLength(a.engine.bar);
    expect(prices[0]!.candles.at(-1)!.ts).toBeLessThan(a.source.frame.spot.ts[a.engine.bar]!);
    expect(events).toHaveLength(30);
    expect(events[0]).toEqual({ type: 'leaderboard', data: { run_id: 'demo', bar: a.engine.config.startBar } });
    await a.engine.run();
    runs.update('demo', 'finished');
    const [summary] = await runs.runs();
    expect(summary).toMatchObject({ id: 'demo', status: 'finished', bars_done: 80, bars_total: 80, agents: 5 });
    const curves = await runs.equityCurves();
    expect(curves.map((c) => c.points.length)).toEqual([81, 81, 81, 81, 81]);
    const trades = await runs.trades('demo', { agentId: 'buy-hold' });
    expect(trades[0]?.verdict_id).toBe(`vdt_buy-hold.${a.engine.config.startBar}`);
    const detail = await runs.run('demo');
    expect(detail?.leaderboard).toHaveLength(5);
    expect(await runs.run('nope')).toBeNull();
    await a.close();
  });
});
