import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArenaSource } from '../../src/transport/http/api/arena-source.js';
import { noArena } from '../../src/transport/http/api/arena-source.js';
import { call } from './support/call.js';
import { type Harness, startHarness } from './support/harness.js';

describe('HTTP API: leaderboard, agents, arena runs, market', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ bars: 36 });
  });
  afterAll(async () => h.close());

  it("ranks the arena's agents with Sharpe, Sortino, max drawdown, PSR, DSR and the luck flag", async () => {
    const r = await call(h, 'GET', '/v1/leaderboard', { token: h.adminToken });
    expect(r.status).toBe(200);
    expect(r.body.run_id).toBe('test-run-1');
    expect(r.body.rows.map((x: any) => x.agent_id).sort()).toEqual([...h.arena.agentIds].sort());
    expect(r.body.rows.map((x: any) => x.rank)).toEqual([1, 2, 3, 4, 5]);
    for (const row of r.body.rows) {
      expect(Object.keys(row)).toEqual(
        expect.arrayContaining(['sharpe', 'sortino', 'max_drawdown', 'psr', 'dsr', 'luck', 'equity', 'trades']),
      );
      expect(typeof row.luck).toBe('boolean');
    }
    const traded = r.body.rows.filter((x: any) => x.trades > 0);
    expect(traded.length, 'the agents really traded through the firewall').toBeGreaterThan(2);
  });

  it('moves as the arena advances', async () => {
    const before = (await call(h, 'GET', '/v1/leaderboard', { token: h.adminToken })).body;
    await h.arena.step(3);
    const after = (await call(h, 'GET', '/v1/leaderboard', { token: h.adminToken })).body;
    expect(after.bar).toBe(before.bar + 3);
    const equity = (await call(h, 'GET', '/v1/arena/equity', { token: h.adminToken })).body.curves;
    expect(equity[0].points).toHaveLength(39);
  });

  it('lists agents with tokens and arena agents, never a token', async () => {
    const r = await call(h, 'GET', '/v1/agents', { token: h.adminToken });
    const ids = r.body.agents.map((a: any) => a.agent_id);
    expect(ids).toEqual(expect.arrayContaining(['alice', 'bob', ...h.arena.agentIds]));
    expect(r.text).not.toContain(h.tokens.alice);
    expect(r.body.agents.find((a: any) => a.agent_id === 'alice')).toMatchObject({ token: true, arena: false });
    expect(r.body.agents.find((a: any) => a.agent_id === 'buy-and-hold')).toMatchObject({
      arena: true,
      benchmark: true,
    });
  });

  it('lists runs and returns one run with its leaderboard; an unknown run is 404', async () => {
    const runs = await call(h, 'GET', '/v1/arena/runs', { token: h.adminToken });
    expect(runs.body.runs[0]).toMatchObject({ id: 'test-run-1', agents: 5, market: 'binance-2024-1h' });
    const one = await call(h, 'GET', '/v1/arena/runs/test-run-1', { token: h.adminToken });
    expect(one.status).toBe(200);
    expect(one.body.leaderboard).toHaveLength(5);
    const none = await call(h, 'GET', '/v1/arena/runs/nope', { token: h.adminToken });
    expect(none.status).toBe(404);
    expect(none.body.error).toBe('RUN_NOT_FOUND');
  });

  it('serves trades (with the authorising verdict) and the candles they were made on', async () => {
    const trades = (await call(h, 'GET', '/v1/arena/trades?agent=pyramid&limit=5', { token: h.adminToken })).body
      .trades;
    expect(trades.length).toBeGreaterThan(0);
    expect(trades.length).toBeLessThanOrEqual(5);
    expect(trades.every((t: any) => t.agent_id === 'pyramid' && t.verdict_id.startsWith('vdt_'))).toBe(true);
    const cert = await call(h, 'GET', `/v1/verdicts/${trades[0].verdict_id}`, { token: h.adminToken });
    expect(cert.body.payload.agent_id).toBe('pyramid');
    const prices = (await call(h, 'GET', '/v1/arena/prices', { token: h.adminToken })).body.series;
    expect(prices[0].symbol).toBe('BTC/USDT');
    const last = prices[0].candles.at(-1);
    expect(last.ts + 3_600_000, 'closed bars only, never one from the future').toBeLessThanOrEqual(h.clock.now());
  });

  it('serves the market the firewall judges on: instruments, quote, candles', async () => {
    const inst = await call(h, 'GET', '/v1/market/instruments');
    expect(inst.body.instruments.map((i: any) => i.symbol)).toEqual(
      expect.arrayContaining(['BTC/USDT', 'BTC/USDT:USDT', 'ETH/USDT']),
    );
    const quote = await call(h, 'GET', '/v1/market/quote?symbol=ETH/USDT');
    expect(quote.body.quote.ask).toBeGreaterThan(quote.body.quote.bid);
    const missing = await call(h, 'GET', '/v1/market/quote?symbol=DOGE/USDT');
    expect(missing.status).toBe(404);
    const candles = await call(h, 'GET', '/v1/market/candles?symbol=BTC/USDT&timeframe=4h&limit=5');
    expect(candles.body.candles).toHaveLength(5);
    const bad = await call(h, 'GET', '/v1/market/candles?timeframe=2h');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('query.timeframe');
  });
});

describe('HTTP API without an arena, and with a failing one', () => {
  it('answers an empty leaderboard when no arena runs', async () => {
    const h = await startHarness({ bars: 0, arena: noArena });
    try {
      const r = await call(h, 'GET', '/v1/leaderboard', { token: h.adminToken });
      expect(r.body).toEqual({ run_id: null, bar: 0, ts: 0, rows: [] });
      expect((await call(h, 'GET', '/v1/arena/runs', { token: h.adminToken })).body.runs).toEqual([]);
    } finally {
      await h.close();
    }
  });

  it('turns an internal failure into a 500 without a stack trace', async () => {
    const broken: ArenaSource = {
      ...noArena,
      leaderboard: async () => {
        throw new Error('database exploded at /secret/path.ts:12');
      },
    };
    const h = await startHarness({ bars: 0, arena: broken });
    try {
      const r = await call(h, 'GET', '/v1/leaderboard', { token: h.adminToken });
      expect(r.status).toBe(500);
      expect(r.body).toEqual({ error: 'INTERNAL_ERROR', message: 'internal error' });
    } finally {
      await h.close();
    }
  });
});
