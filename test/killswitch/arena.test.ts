import { rmSync } from 'node:fs';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, tempHome } from '../support/cli.js';
import { arenaFills, replay } from './support/arena-fills.js';
import {
  ADMIN,
  agent,
  eventually,
  http,
  mandate,
  mcpHttp,
  type Served,
  sc,
  serve,
  sleep,
  text,
} from './support/outside.js';

/**
 * The arena `serve --arena` (and `npm start`) runs, with an external agent joined over MCP: the installation's
 * switch stops it, cancels the agent's resting order and, under the arena mandate's flatten_on_halt, closes its
 * positions within one bar. Before, POST /v1/halt left the arena trading under its own mandate and store.
 */
describe('the kill switch stops the arena that serve --arena runs, and its external MCP agents', () => {
  let home: string;
  let srv: Served;
  let outsider: Client;
  let agentHalt: any;
  let globalHalt: any;

  const trades = () => arenaFills(srv.url);
  /** One round: the agent's intent (or a pass) for the open bar; resolves with its receipt once decided. */
  /**
   * One decision in the next open round. A round can close between observing and submitting on a loaded machine
   * (the arena moves on at its deadline: a missed round is no trade); then the agent observes again.
   */
  const round = async (intent: (obs: any) => Record<string, unknown> | null) => {
    for (let attempt = 1; ; attempt++) {
      const obs = sc(await outsider.callTool({ name: 'get_observation', arguments: {} }));
      const r = await outsider.callTool({ name: 'submit_intent', arguments: { intent: intent(obs) } });
      const receipt = sc(r);
      if (receipt?.reason !== 'ROUND_CLOSED' || attempt >= 5) return { obs, receipt, r };
    }
  };

  beforeAll(async () => {
    home = tempHome('arbiter-ks-arena-');
    expect(cli(home, ['mandate', 'init']).code).toBe(0);
    // The runtime root's mandate for the arena venue: the operator's caps, and close everything on a halt.
    mandate(home, 'arena', (m) => {
      m.hard_caps = {
        ...m.hard_caps,
        account_funding_usd: 10_000,
        max_order_notional_usd: 10_000,
        max_total_exposure_usd: 20_000,
        max_leverage: 2,
        max_trades_per_day: 10_000,
      };
      m.consent.created_at = '2023-01-01T00:00:00Z';
      m.consent.expires_at = '2030-01-01T00:00:00Z';
      m.flatten_on_halt = true;
      m.arbiter = { ...m.arbiter, max_daily_loss_pct: 25, max_drawdown_pct: 60 };
    });
    const token = agent(home, 'outsider', { ARBITER_ACCOUNT: 'outsider' });
    srv = await serve(home, ['--arena', 'csv:data/BTCUSDT_1h.csv', '--arena-start-after', '4000'], {
      ARBITER_BAR_MS: '300',
    });
    outsider = await mcpHttp(srv.url, token);
    const joined = await outsider.callTool({ name: 'join_arena', arguments: {} });
    expect(sc(joined).joined, text(joined)).toBe(true);
  }, 120_000);

  afterAll(async () => {
    await outsider?.close().catch(() => undefined);
    await srv?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('the dashboard data names the mandate the arena trades under (the runtime root file, flatten_on_halt on)', async () => {
    const runs = await eventually('the arena run to start', async () => {
      const r = await http(srv.url, 'GET', '/v1/arena/runs', { token: ADMIN });
      return r.body.runs.length > 0 ? r : undefined;
    });
    expect(runs.body.runs[0]).toMatchObject({
      venue: 'arena',
      mandate: { source: 'live/arena/mandate.json', ok: true, flatten_on_halt: true, per_order_usd: 10_000 },
    });
    expect(runs.body.runs[0].mandate.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('an agent halt cancels the external agent’s resting order and flattens its position, and refuses its next buy', async () => {
    const bought = await round(() => ({ symbol: 'BTC/USDT', side: 'buy', notional: 2_000 }));
    expect(bought.receipt.trace?.decision, JSON.stringify(bought.receipt)).toBe('ALLOW');
    const rested = await round((obs) => ({
      symbol: 'BTC/USDT',
      side: 'buy',
      notional: 1_000,
      limit_price: Math.round(obs.instruments.spot.quote.bid * 0.97),
      time_in_force: 'GTC',
    }));
    expect(rested.receipt.trace?.order_status, JSON.stringify(rested.receipt)).toBe('open');

    const r = await http(srv.url, 'POST', '/v1/halt', {
      token: ADMIN,
      body: { scope: 'agent', agent: 'outsider', reason: 'outsider misbehaves' },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    agentHalt = r.body;
    const arena = agentHalt.sweep.find((s: { target: string }) => s.target.startsWith('arena:'));
    expect(arena, JSON.stringify(agentHalt)).toMatchObject({ cancelled: 1, flattened: 1, flatten_on_halt: true });

    const next = await round(() => ({ symbol: 'BTC/USDT', side: 'buy', notional: 500 }));
    expect(next.obs.account.positions.spot.quantity, 'flat within one bar').toBeLessThan(1e-4);
    expect(next.receipt.trace).toMatchObject({ decision: 'REJECT', reasons: ['HALTED_AGENT'] });
    expect(next.r.isError).toBeFalsy();
  }, 60_000);

  it('the built-in agents keep trading while only the external agent is halted', async () => {
    const count = (await trades()).length;
    for (let i = 0; i < 40 && (await trades()).length === count; i++) await sleep(300);
    expect((await trades()).length).toBeGreaterThan(count);
  }, 30_000);

  it('a global halt stops every arena agent: zero fills add exposure afterwards, and every position is closed', async () => {
    const r = await http(srv.url, 'POST', '/v1/halt', { token: ADMIN, body: { reason: 'dashboard kill switch' } });
    expect(r.status).toBe(200);
    globalHalt = r.body;
    const arena = globalHalt.sweep.find((s: { target: string }) => s.target.startsWith('arena:'));
    expect(arena.flatten_on_halt).toBe(true);
    expect(arena.flattened, 'buy-and-hold at least held a position to close').toBeGreaterThan(0);
    const at = arena.at.ts as number;
    const bar = arena.at.bar as number;
    // Let the arena run on for several bars after the switch.
    for (let i = 0; i < 100; i++) {
      const lb = await http(srv.url, 'GET', '/v1/leaderboard', { token: ADMIN });
      if (lb.body.bar > bar + 6) break;
      await sleep(300);
    }
    const all = await trades();
    const { grew, open } = replay(all, at);
    expect(grew, 'fills after the switch that made a position larger').toEqual([]);
    const left = open.filter((p) => Math.abs(p.notional) > 1e-9);
    expect(left, 'positions left open after flatten_on_halt').toEqual([]);
    const lb = await http(srv.url, 'GET', '/v1/leaderboard', { token: ADMIN });
    const refused = lb.body.rows.reduce((n: number, row: any) => n + (row.verdicts.REJECT ?? 0), 0);
    expect(refused, 'the agents kept deciding and the firewall refused them').toBeGreaterThan(0);
  }, 60_000);

  it("the external agent's next buy is refused by the global halt too", async () => {
    const next = await round(() => ({ symbol: 'BTC/USDT:USDT', side: 'buy', notional: 500 }));
    expect(next.receipt.trace?.decision).toBe('REJECT');
    expect(next.receipt.trace?.reasons).toEqual(['HALTED_GLOBAL']);
  }, 30_000);
});
