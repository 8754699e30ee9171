import { rmSync } from 'node:fs';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArbiterClient, ArbiterHttpError } from '../../src/client/index.js';
import { cli, tempHome } from '../support/cli.js';
import { patchMandate } from '../support/mcp.js';
import { ADMIN, agent, eventually, http, mcpHttp, mcpStdio, type Served, sc, serve, text } from './support/outside.js';

const BTC = 'BTC/USDT';

/**
 * One kill switch, every door: a running `serve`, agents over HTTP REST, the SDK, MCP over Streamable HTTP, a
 * separate `arbiter mcp` over stdio, the CLI, and an approval waiting for a human. Each door holds a position and a
 * resting order when the switch is pulled.
 */
describe('the kill switch through every door (serve, HTTP, SDK, MCP HTTP, MCP stdio, CLI, approvals)', () => {
  let home: string;
  let srv: Served;
  const tokens: Record<string, string> = {};
  let sdk: ArbiterClient;
  let carol: Client;
  let dave: Client;
  let pendingApproval = '';
  let haltAnswer: any;
  const before: Record<string, number> = {};
  const known: Record<string, Set<string>> = {};
  const history = async (who: string): Promise<any[]> =>
    (await http(srv.url, 'GET', '/v1/orders?status=all&limit=500', { token: tokens[who]! })).body.orders;

  const cliOrder = (args: string[]) =>
    cli(home, ['vet', '--agent', 'erin', '--account', 'erin', '--symbol', BTC, '--execute', ...args]);
  const mid = async () => {
    const q = (await http(srv.url, 'GET', `/v1/market/quote?symbol=${encodeURIComponent(BTC)}`)).body.quote;
    return (q.bid + q.ask) / 2;
  };
  const positionOf = async (who: string): Promise<number> => {
    const r = await http(srv.url, 'GET', '/v1/positions', { token: tokens[who]! });
    return r.body.positions.find((p: { symbol: string }) => p.symbol === BTC)?.quantity ?? 0;
  };
  const openOrders = async (who: string): Promise<any[]> =>
    (await http(srv.url, 'GET', '/v1/orders', { token: tokens[who]! })).body.orders;
  const place = (who: string, intent: Record<string, unknown>) =>
    http(srv.url, 'POST', '/v1/orders', { token: tokens[who]!, body: intent });

  beforeAll(async () => {
    home = tempHome('arbiter-ks-doors-');
    expect(cli(home, ['mandate', 'init']).code).toBe(0);
    // Orders above $200 wait for a human; the kill switch leaves positions alone (flatten_on_halt false).
    patchMandate(home, (m) => {
      m.arbiter = { ...m.arbiter, approval_threshold_usd: 200, duplicate_window_ms: 0 };
    });
    for (const name of ['alice', 'bob', 'carol', 'dave', 'erin'])
      tokens[name] = agent(home, name, { ARBITER_ACCOUNT: name });
    srv = await serve(home);
    sdk = new ArbiterClient(srv.url, tokens.bob);
    carol = await mcpHttp(srv.url, tokens.carol!);
    dave = await mcpStdio(home, 'dave', 'dave');
  }, 120_000);

  afterAll(async () => {
    await carol?.close().catch(() => undefined);
    await dave?.close().catch(() => undefined);
    await srv?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('before the switch every door holds a position and a resting limit order, and one order waits for a human', async () => {
    const below = Math.round((await mid()) * 0.97);
    const resting = { symbol: BTC, side: 'buy', notional: 120, limit_price: below, time_in_force: 'GTC' };
    const market = { symbol: BTC, side: 'buy', notional: 150 };
    for (const r of [await place('alice', market), await place('alice', resting)])
      expect(r.body.decision, JSON.stringify(r.body).slice(0, 300)).toBe('ALLOW');
    for (const v of [await sdk.placeOrder(market as never), await sdk.placeOrder(resting as never)])
      expect(v.decision).toBe('ALLOW');
    for (const c of [carol, dave]) {
      for (const args of [market, resting]) {
        const r = await c.callTool({ name: 'place_order', arguments: args });
        expect(r.isError, text(r).slice(0, 300)).toBeFalsy();
      }
    }
    expect(cliOrder(['--side', 'buy', '--notional', '150']).code).toBe(0);
    expect(cliOrder(['--side', 'buy', '--notional', '120', '--limit-price', String(below), '--tif', 'GTC']).code).toBe(
      0,
    );
    const pending = await place('alice', { symbol: BTC, side: 'buy', notional: 300 });
    expect(pending.body.decision).toBe('PENDING_APPROVAL');
    pendingApproval = pending.body.approval_id;
    for (const who of ['alice', 'bob', 'carol', 'dave', 'erin']) {
      before[who] = await positionOf(who);
      expect(before[who], `${who} holds BTC`).toBeGreaterThan(0);
      expect(await openOrders(who), `${who} has a resting order`).toHaveLength(1);
    }
  }, 120_000);

  it('pulling the switch answers how many resting orders it cancelled and rejects the waiting approval; the venue has none left', async () => {
    const r = await http(srv.url, 'POST', '/v1/halt', { token: ADMIN, body: { reason: 'desk kill switch' } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    haltAnswer = r.body;
    expect(haltAnswer).toMatchObject({
      halted: true,
      scope_key: 'global',
      reason: 'desk kill switch',
      by: 'http:admin',
      cancelled: 5,
      flattened: 0,
      approvals_rejected: 1,
    });
    expect(haltAnswer.sweep[0]).toMatchObject({ target: 'venue:paper', cancelled: 5, flatten_on_halt: false });
    for (const who of ['alice', 'bob', 'carol', 'dave', 'erin']) {
      expect(await openOrders(who), `${who}'s resting order was cancelled at the venue`).toEqual([]);
      known[who] = new Set((await history(who)).map((o) => o.orderId));
    }
    const approval = await http(srv.url, 'GET', '/v1/approvals?status=rejected', { token: ADMIN });
    expect(approval.body.approvals.map((a: { approval_id: string }) => a.approval_id)).toContain(pendingApproval);
    const ledger = await http(srv.url, 'GET', '/v1/ledger?order=desc&limit=100', { token: ADMIN });
    const sweep = ledger.body.records.find((x: { kind: string }) => x.kind === 'halt_sweep');
    expect(JSON.parse(sweep.body), 'the ledger records what the switch did').toMatchObject({
      scope: 'global',
      cancelled: 5,
      approvals_rejected: 1,
    });
    const halts = await http(srv.url, 'GET', '/v1/halts', { token: ADMIN });
    expect(halts.body.scopes[0]).toMatchObject({
      scope: 'global',
      reason: 'desk kill switch',
      by: 'http:admin',
      sweep: { cancelled: 5, flattened: 0, approvals_rejected: 1 },
    });
  });

  it('while halted, an order that adds exposure is refused on every door with a signed HALTED_GLOBAL verdict', async () => {
    const buy = { symbol: BTC, side: 'buy', notional: 110 };
    const viaHttp = await place('alice', buy);
    expect(viaHttp.body).toMatchObject({ decision: 'REJECT', reasons: ['HALTED_GLOBAL'], order: null });
    const viaSdk = await sdk.placeOrder(buy as never);
    expect(viaSdk.reasons).toEqual(['HALTED_GLOBAL']);
    for (const [door, c] of [
      ['MCP over HTTP', carol],
      ['MCP over stdio', dave],
    ] as const) {
      const r = await c.callTool({ name: 'place_order', arguments: buy });
      expect(r.isError, `${door}: ${text(r).slice(0, 200)}`).toBe(true);
      expect(sc(r).reasons, door).toEqual(['HALTED_GLOBAL']);
    }
    const viaCli = cliOrder(['--side', 'buy', '--notional', '110']);
    expect(viaCli.code, viaCli.out.slice(0, 300)).toBe(3);
    expect(JSON.parse(viaCli.out).reasons).toEqual(['HALTED_GLOBAL']);
    const approve = await http(srv.url, 'POST', `/v1/approvals/${pendingApproval}/approve`, { token: ADMIN });
    expect(approve.status, 'the switch rejected the waiting order: it can no longer execute').toBe(409);
    expect(approve.body.error).toBe('APPROVAL_NOT_PENDING');
  });

  it('while halted, the MCP tool list keeps cancels and reductions and drops only the tools that can only add risk', async () => {
    for (const [door, c] of [
      ['MCP over HTTP', carol],
      ['MCP over stdio', dave],
    ] as const) {
      // A session re-reads the halt state on its requests, at most every 250 ms: ask until it has.
      const tools = await eventually(`${door}'s tool list to follow the halt`, async () => {
        const listed = (await c.listTools()).tools;
        return listed.some((t) => t.name === 'amend_order') ? undefined : listed;
      });
      const names = tools.map((t) => t.name);
      for (const n of ['cancel_order', 'cancel_all_orders', 'close_position', 'place_order', 'set_trading_stop'])
        expect(names, `${door} keeps ${n}`).toContain(n);
      for (const n of ['amend_order', 'set_leverage']) expect(names, `${door} drops ${n}`).not.toContain(n);
      const place = tools.find((t) => t.name === 'place_order')!;
      expect(place.description).toMatch(/HALTED.*only orders that reduce a position pass/);
    }
  });

  it('while halted, reductions and cancels pass on every door', async () => {
    const above = Math.round((await mid()) * 1.03);
    // Reductions: half of each position, through each door.
    const half = async (who: string) => Number(((await positionOf(who)) / 2).toFixed(6));
    const sell = async (who: string) => ({ symbol: BTC, side: 'sell', quantity: await half(who), reduce_only: true });
    expect((await place('alice', await sell('alice'))).body.decision).toBe('ALLOW');
    expect((await sdk.placeOrder((await sell('bob')) as never)).decision).toBe('ALLOW');
    const close = await carol.callTool({ name: 'close_position', arguments: { symbol: BTC } });
    expect(close.isError, text(close).slice(0, 300)).toBeFalsy();
    const viaStdio = await dave.callTool({ name: 'place_order', arguments: await sell('dave') });
    expect(viaStdio.isError, text(viaStdio).slice(0, 300)).toBeFalsy();
    const viaCli = cliOrder(['--side', 'sell', '--quantity', String(await half('erin')), '--reduce-only']);
    expect(viaCli.code, viaCli.out.slice(0, 300)).toBe(0);
    // Cancels: a reduce-only resting sell (allowed while halted) is placed and cancelled through each door.
    const restingSell = async (who: string) => ({
      symbol: BTC,
      side: 'sell',
      quantity: await half(who),
      limit_price: above,
      time_in_force: 'GTC',
      reduce_only: true,
    });
    const a = await place('alice', await restingSell('alice'));
    expect(a.body.decision).toBe('ALLOW');
    expect((await http(srv.url, 'DELETE', `/v1/orders/${a.body.order.orderId}`, { token: tokens.alice! })).status).toBe(
      200,
    );
    const b = await sdk.placeOrder((await restingSell('bob')) as never);
    expect(b.decision).toBe('ALLOW');
    await sdk.cancelOrder(String(b.order?.orderId));
    const d = await dave.callTool({ name: 'place_order', arguments: await restingSell('dave') });
    expect(d.isError, text(d).slice(0, 300)).toBeFalsy();
    const cancelled = await dave.callTool({ name: 'cancel_all_orders', arguments: {} });
    expect(cancelled.isError, text(cancelled)).toBeFalsy();
    expect(sc(cancelled).cancelled).toHaveLength(1);
    for (const who of ['alice', 'bob', 'dave']) expect(await openOrders(who)).toEqual([]);
  }, 120_000);

  it('no fill after the switch added exposure: every position at the venue is no larger than when it was pulled', async () => {
    for (const who of ['alice', 'bob', 'carol', 'dave', 'erin']) {
      const now = await positionOf(who);
      expect(now, `${who}: ${now} must not exceed ${before[who]}`).toBeLessThan(before[who]! + 1e-12);
      const since = (await history(who)).filter((o) => !known[who]!.has(o.orderId));
      expect(since.length, `${who} traded while halted`).toBeGreaterThan(0);
      const added = since.filter((o) => o.side === 'buy' && o.filledQuantity > 0);
      expect(added, `${who}: no buy filled at the venue after the switch`).toEqual([]);
    }
  });

  it('resume lifts it: the tools come back and an order that adds exposure passes again', async () => {
    await expect(new ArbiterClient(srv.url, tokens.alice).resume()).rejects.toBeInstanceOf(ArbiterHttpError);
    const r = await new ArbiterClient(srv.url, ADMIN).resume();
    expect(r).toMatchObject({ resumed: true, was_halted: true });
    expect((await place('alice', { symbol: BTC, side: 'buy', notional: 105 })).body.decision).toBe('ALLOW');
    const names = (await carol.listTools()).tools.map((t) => t.name);
    expect(names).toContain('amend_order');
  });
});
