import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, tempHome } from '../support/cli.js';
import { ADMIN, agent, eventually, http, type Served, serve, vibe } from './support/outside.js';

/**
 * Vibe-Trading and Arbiter on one runtime root: the HALT file is the switch. A Python script that does what
 * Vibe-Trading's halt code does (trip: write {tripped_at, by, reason} atomically; clear: delete the file) trips and
 * clears it next to a running `serve`, and Arbiter follows both ways; what Arbiter writes, the script reads.
 */
describe('one kill switch shared with Vibe-Trading on a runtime root', () => {
  let home: string;
  let srv: Served;
  let alice = '';

  const buy = async (notional: number) =>
    (
      await http(srv.url, 'POST', '/v1/orders', {
        token: alice,
        body: { symbol: 'BTC/USDT', side: 'buy', notional },
      })
    ).body;
  const halts = async () => (await http(srv.url, 'GET', '/v1/halts', { token: ADMIN })).body;
  const ledger = async () =>
    (await http(srv.url, 'GET', '/v1/ledger?order=desc&limit=200', { token: ADMIN })).body.records as any[];

  beforeAll(async () => {
    home = tempHome('arbiter-ks-vibe-');
    expect(cli(home, ['mandate', 'init']).code).toBe(0);
    alice = agent(home, 'alice', { ARBITER_ACCOUNT: 'alice' });
    srv = await serve(home);
  }, 60_000);

  afterAll(async () => {
    await srv?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('a trip by Vibe-Trading halts Arbiter at once, and Arbiter takes it in: recorded, resting orders cancelled', async () => {
    const q = (await http(srv.url, 'GET', '/v1/market/quote?symbol=BTC%2FUSDT')).body.quote;
    const resting = await http(srv.url, 'POST', '/v1/orders', {
      token: alice,
      body: {
        symbol: 'BTC/USDT',
        side: 'buy',
        notional: 100,
        limit_price: Math.round(q.bid * 0.97),
        time_in_force: 'GTC',
      },
    });
    expect(resting.body.order?.status).toBe('open');

    const trip = vibe(home, ['trip', 'cli', 'vibe-trading watchdog']);
    expect(trip.code, trip.err).toBe(0);
    expect((await buy(90)).reasons, 'the file halts by existing').toEqual(['HALTED_GLOBAL']);

    const adopted = await eventually('Arbiter to take in the tripped file', async () => {
      const s = (await halts()).scopes.find((x: any) => x.scope === 'global');
      return s?.source === 'file' && s.sweep ? s : undefined;
    });
    expect(adopted).toMatchObject({ by: 'cli', reason: 'vibe-trading watchdog', sweep: { cancelled: 1 } });
    expect((await http(srv.url, 'GET', '/v1/orders', { token: alice })).body.orders).toEqual([]);
    const rec = (await ledger()).find((r) => r.kind === 'halt');
    expect(JSON.parse(rec.body)).toMatchObject({ scope: 'global', by: 'cli', source: 'file' });
  }, 60_000);

  it('clearing on the Vibe-Trading side (deleting the file) clears Arbiter too, and the ledger says so', async () => {
    expect(JSON.parse(vibe(home, ['clear']).out).cleared).toBe(true);
    const allowed = await eventually('Arbiter to follow the cleared file', async () => {
      const v = await buy(80);
      return v.decision === 'ALLOW' ? v : undefined;
    });
    expect(allowed.order.status).toBe('filled');
    expect((await halts()).scopes).toEqual([]);
    const resume = (await ledger()).find((r) => r.kind === 'resume');
    expect(JSON.parse(resume.body)).toMatchObject({ scope: 'global', by: 'file-removed' });
  }, 60_000);

  it("a halt through Arbiter is a sentinel Vibe-Trading's code reads: its fields, an ISO time with an offset", async () => {
    const r = await http(srv.url, 'POST', '/v1/halt', { token: ADMIN, body: { reason: 'risk desk' } });
    expect(r.status).toBe(200);
    expect(JSON.parse(vibe(home, ['halted']).out).halted).toBe(true);
    const read = JSON.parse(vibe(home, ['read']).out);
    expect(read.body).toMatchObject({ by: 'http:admin', reason: 'risk desk' });
    expect(read.tripped_at_utc, 'tripped_at parses as ISO 8601 with a UTC offset').toMatch(/\+00:00$/);
    expect(Date.parse(read.tripped_at_utc)).toBe(Date.parse(r.body.since));
  });

  it('Vibe-Trading clearing a halt Arbiter pulled clears it for Arbiter (it stayed halted in the database before)', async () => {
    expect(JSON.parse(vibe(home, ['clear']).out).cleared).toBe(true);
    await eventually('Arbiter to resume', async () => ((await buy(70)).decision === 'ALLOW' ? true : undefined));
    expect((await halts()).halted).toBe(false);
  }, 60_000);

  it('the venue scope is the same switch both ways: live/paper/HALT', async () => {
    const halt = cli(home, ['halt', '--venue', 'paper', '--reason', 'venue maintenance']);
    expect(halt.code, halt.err).toBe(0);
    expect(JSON.parse(vibe(home, ['halted', '--broker', 'paper']).out).halted).toBe(true);
    expect(JSON.parse(vibe(home, ['halted']).out).halted, 'the global switch stays off').toBe(false);
    expect(cli(home, ['resume', '--venue', 'paper']).code).toBe(0);
    expect(JSON.parse(vibe(home, ['halted', '--broker', 'paper']).out).halted).toBe(false);

    vibe(home, ['trip', 'frontend', 'broker halt', '--broker', 'paper']);
    expect((await buy(60)).reasons).toEqual(['HALTED_VENUE']);
    await eventually('the venue halt to be taken in', async () =>
      (await halts()).scopes.find((x: any) => x.scope === 'venue:paper' && x.by === 'frontend'),
    );
    vibe(home, ['clear', '--broker', 'paper']);
    await eventually('the venue to resume', async () => ((await buy(55)).decision === 'ALLOW' ? true : undefined));
  }, 60_000);
});
