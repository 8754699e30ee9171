import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, tempHome } from '../support/cli.js';
import { type EmbeddedPg, startPostgres } from '../support/embedded-pg.js';
import { ADMIN, agent, eventually, http, type Served, serve, vibe } from './support/outside.js';

/**
 * Two `serve` instances on one PostgreSQL, each with its own runtime root (another machine's disk): the store
 * carries the switch between them, and each instance keeps its own root's HALT file in agreement with the store,
 * so Vibe-Trading next to either instance sees every halt and can clear it for all.
 */
describe('the kill switch across instances on one PostgreSQL, each with its own runtime root', () => {
  let pg: EmbeddedPg;
  let url = '';
  let homeA = '';
  let homeB = '';
  let a: Served;
  let b: Served;
  let token = '';
  let haltId = '';

  const env = () => ({ ARBITER_DATABASE_URL: url });
  const buy = async (srv: Served, notional: number) =>
    (
      await http(srv.url, 'POST', '/v1/orders', {
        token,
        body: { symbol: 'BTC/USDT', side: 'buy', notional },
      })
    ).body;
  const halted = (home: string) => JSON.parse(vibe(home, ['halted']).out).halted as boolean;
  const allowedOn = (srv: Served, n: number) =>
    eventually(`an order to pass on ${srv.url}`, async () =>
      (await buy(srv, n)).decision === 'ALLOW' ? true : undefined,
    );

  beforeAll(async () => {
    pg = await startPostgres();
    url = await pg.createDatabase('killswitch');
    homeA = tempHome('arbiter-ks-rootA-');
    homeB = tempHome('arbiter-ks-rootB-');
    for (const home of [homeA, homeB]) expect(cli(home, ['mandate', 'init'], env()).code).toBe(0);
    token = agent(homeA, 'alice', { ...env(), ARBITER_ACCOUNT: 'alice' });
    a = await serve(homeA, [], env());
    b = await serve(homeB, [], env());
  }, 180_000);

  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await pg?.stop();
    for (const h of [homeA, homeB]) if (h) rmSync(h, { recursive: true, force: true });
  });

  it('a halt through one instance stops the other at once, and reaches its runtime root for Vibe-Trading', async () => {
    const r = await http(a.url, 'POST', '/v1/halt', { token: ADMIN, body: { reason: 'instance A stop' } });
    expect(r.status).toBe(200);
    haltId = r.body.halt_id;
    expect((await buy(b, 90)).reasons, 'B reads the switch from the store').toEqual(['HALTED_GLOBAL']);
    await eventually("B to write the halt into its root's HALT file", async () => (halted(homeB) ? true : undefined));
    const body = JSON.parse(vibe(homeB, ['read']).out).body;
    expect(body).toMatchObject({ by: 'http:admin', reason: 'instance A stop', halt_id: haltId });
  }, 60_000);

  it("Vibe-Trading clearing the file on B's root clears the switch for both instances and both roots", async () => {
    vibe(homeB, ['clear']);
    await allowedOn(a, 85);
    await allowedOn(b, 80);
    await eventually("A to remove its root's file, now stale", async () => (halted(homeA) ? undefined : true));
  }, 60_000);

  it("a Vibe-Trading trip on B's root stops A too, and is written to A's root", async () => {
    vibe(homeB, ['trip', 'cli', 'vt on machine B']);
    await eventually('A to refuse new exposure', async () =>
      (await buy(a, 75)).reasons?.[0] === 'HALTED_GLOBAL' ? true : undefined,
    );
    await eventually("A's root to carry the halt", async () => (halted(homeA) ? true : undefined));
    expect(JSON.parse(vibe(homeA, ['read']).out).body).toMatchObject({ by: 'cli', reason: 'vt on machine B' });
  }, 60_000);

  it("`arbiter resume` on A's machine clears it everywhere, including Vibe-Trading's own file on B's root", async () => {
    const r = cli(homeA, ['resume'], env());
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ was_halted: true, file_removed: { kind: 'file' } });
    await allowedOn(a, 70);
    await eventually("B to remove the cleared halt's file from its root", async () =>
      halted(homeB) ? undefined : true,
    );
    await allowedOn(b, 65);
  }, 60_000);
});
