import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArbiterClient, verifyCertificate } from '../../src/client/index.js';
import { cli, tempHome } from '../support/cli.js';
import { patchMandate } from '../support/mcp.js';
import { ADMIN, agent, http, type Served, serve } from './support/outside.js';

/**
 * Positions of an agent at the venue. A reduce-only close of the whole position is sent at exactly the quantity
 * held, dust below the venue minimum included, so flat means no position at all.
 */
async function positions(srv: Served, token: string): Promise<{ symbol: string; quantity: number }[]> {
  const r = await http(srv.url, 'GET', '/v1/positions', { token });
  return r.body.positions.filter((p: { quantity: number }) => p.quantity !== 0);
}

describe('flatten_on_halt: the switch closes every position in scope within the request that pulls it', () => {
  let home: string;
  let srv: Served;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    home = tempHome('arbiter-ks-flatten-');
    expect(cli(home, ['mandate', 'init']).code).toBe(0);
    patchMandate(home, (m) => {
      m.flatten_on_halt = true;
      m.arbiter = { ...m.arbiter, duplicate_window_ms: 0 };
    });
    for (const name of ['alice', 'bob']) tokens[name] = agent(home, name, { ARBITER_ACCOUNT: name });
    srv = await serve(home);
    const order = async (who: string, intent: Record<string, unknown>) => {
      const r = await http(srv.url, 'POST', '/v1/orders', { token: tokens[who]!, body: intent });
      expect(r.body.decision, JSON.stringify(r.body).slice(0, 300)).toBe('ALLOW');
      return r.body;
    };
    await order('alice', { symbol: 'BTC/USDT', side: 'buy', notional: 200 });
    await order('alice', { symbol: 'ETH/USDT:USDT', side: 'sell', notional: 150 });
    await order('bob', { symbol: 'ETH/USDT', side: 'buy', notional: 200 });
    const q = (await http(srv.url, 'GET', '/v1/market/quote?symbol=ETH%2FUSDT')).body.quote;
    await order('bob', {
      symbol: 'ETH/USDT',
      side: 'buy',
      notional: 100,
      limit_price: Math.round(q.bid * 0.97 * 100) / 100,
      time_in_force: 'GTC',
    });
  }, 120_000);

  afterAll(async () => {
    await srv?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it("an agent halt through the SDK flattens that agent's spot and perpetual positions, and only those", async () => {
    expect(await positions(srv, tokens.alice!)).toHaveLength(2);
    const answer = await new ArbiterClient(srv.url, ADMIN).halt({ scope: 'agent', agent: 'alice' }, 'alice misbehaves');
    expect(answer).toMatchObject({ scope_key: 'agent:alice', flattened: 2, cancelled: 0 });
    expect(answer.sweep[0]!.failures as string[]).toEqual([]);
    expect(await positions(srv, tokens.alice!), 'flat when the answer arrives').toEqual([]);
    expect(await positions(srv, tokens.bob!), "bob is outside the halt's scope").toHaveLength(1);
    const reopen = await http(srv.url, 'POST', '/v1/orders', {
      token: tokens.alice!,
      body: { symbol: 'BTC/USDT', side: 'buy', notional: 100 },
    });
    expect(reopen.body.reasons).toEqual(['HALTED_AGENT']);
  });

  it('each close is a reduce-only market order with a signed, recorded verdict naming the switch', async () => {
    const issuer = await new ArbiterClient(srv.url).pubkey();
    const ledger = await http(srv.url, 'GET', '/v1/ledger?order=desc&limit=200', { token: ADMIN });
    const halt = ledger.body.records.find(
      (r: { kind: string; ref: string }) => r.kind === 'halt' && r.ref === 'agent:alice',
    );
    const haltId = JSON.parse(halt.body).halt_id as string;
    const closes = ledger.body.records
      .filter((r: { kind: string }) => r.kind === 'verdict')
      .map((r: { body: string }) => JSON.parse(r.body))
      .filter((c: any) => String(c.payload.intent?.client_order_id ?? '').startsWith(haltId));
    const allowed = closes.filter((c: any) => c.payload.decision === 'ALLOW');
    expect(allowed.map((c: any) => c.payload.intent.symbol).sort()).toEqual(['BTC/USDT', 'ETH/USDT:USDT']);
    for (const c of closes) {
      expect(c.payload.intent).toMatchObject({ type: 'market', reduce_only: true });
      expect(c.payload.agent_id).toBe('alice');
      expect((await verifyCertificate(c, issuer)).status, 'the close verifies offline').toBe('valid');
    }
  });

  it('a global halt from the CLI, next to the running server, cancels the resting order and flattens the rest', () => {
    const r = cli(home, ['halt', '--reason', 'end of day']);
    expect(r.code, r.err).toBe(0);
    const answer = JSON.parse(r.out);
    expect(answer).toMatchObject({ scope_key: 'global', by: 'cli', cancelled: 1, flattened: 1 });
    expect(answer.sweep[0].failures).toEqual([]);
  });

  it('nothing is left open at the venue', async () => {
    for (const who of ['alice', 'bob']) {
      expect(await positions(srv, tokens[who]!), who).toEqual([]);
      expect((await http(srv.url, 'GET', '/v1/orders', { token: tokens[who]! })).body.orders, who).toEqual([]);
    }
  });
});
