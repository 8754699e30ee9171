import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listedPredictionViews } from '../../src/core/prediction/board.js';
import { cli, tempHome } from '../support/cli.js';
import { addAgent, admitPredictionMarkets, freePort, startServe, stopServe } from '../support/mcp.js';

/** An open market with the most time left (the board at the real clock, as the server lists it). */
function openMarket(): string {
  const open = listedPredictionViews(Date.now()).filter((m) => m.status === 'open');
  return open.reduce((a, b) => (Date.parse(b.resolves_at) > Date.parse(a.resolves_at) ? b : a)).market_id;
}

describe('outcome-token orders over HTTP (POST /v1/orders) and the CLI (vet --execute), built CLI in paper mode', () => {
  let home: string;
  let server: ChildProcess;
  let port: number;
  let token: string;
  const post = async (body: unknown) => {
    const r = await fetch(`http://127.0.0.1:${port}/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    return { status: r.status, body: (await r.json()) as Record<string, any> };
  };

  beforeAll(async () => {
    home = tempHome('arbiter-pm-http-');
    expect(cli(home, ['mandate', 'init']).code).toBe(0);
    admitPredictionMarkets(home, { max_cost_basis_per_market_usd: 60 });
    token = addAgent(home, 'alice');
    port = await freePort();
    server = await startServe(home, port);
  });
  afterAll(async () => {
    if (server) await stopServe(server);
    rmSync(home, { recursive: true, force: true });
  });

  it('places a YES buy by market_id and outcome, with a reason, and shows the shares in /v1/positions', async () => {
    const id = openMarket();
    const r = await post({ market_id: id, outcome: 'YES', side: 'buy', notional: 10, reason: 'cheap at the mid' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.decision).toBe('ALLOW');
    expect(r.body.order).toMatchObject({ symbol: `${id}-YES/USDC`, status: 'filled' });
    const p = await fetch(`http://127.0.0.1:${port}/v1/positions`, { headers: { authorization: `Bearer ${token}` } });
    const positions = ((await p.json()) as { positions: { symbol: string; quantity: number }[] }).positions;
    expect(positions.find((x) => x.symbol === `${id}-YES/USDC`)?.quantity).toBe(r.body.order.filledQuantity);
  });

  it('holds the per-market cost-basis cap when several buys arrive at once (decided and sent one at a time)', async () => {
    const open = listedPredictionViews(Date.now()).filter((m) => m.status === 'open');
    const id = open[0]!.market_id;
    const rs = await Promise.all(
      [20, 21, 22, 23, 24].map((notional) => post({ market_id: id, outcome: 'NO', side: 'buy', notional })),
    );
    for (const r of rs) expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(rs.filter((r) => r.body.order?.filledQuantity > 0).length).toBeGreaterThanOrEqual(2);
    expect(rs.some((r) => r.body.reasons.includes('PREDICTION_COST_BASIS_EXCEEDS_CAP'))).toBe(true);
    const p = await fetch(`http://127.0.0.1:${port}/v1/positions`, { headers: { authorization: `Bearer ${token}` } });
    const positions = ((await p.json()) as { positions: { symbol: string; quantity: number; entryPrice: number }[] })
      .positions;
    const held = positions.find((x) => x.symbol === `${id}-NO/USDC`)!;
    expect(held.quantity * held.entryPrice).toBeLessThanOrEqual(60 + 1e-6);
  });

  it('answers 400 INVALID_ARGUMENT for a market_id without its outcome, naming what is needed', async () => {
    const r = await post({ market_id: openMarket(), side: 'buy', notional: 10 });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('INVALID_ARGUMENT');
    expect(r.body.message).toContain('needs both market_id and outcome ("YES" or "NO")');
  });

  it('the CLI places one with --market and --outcome, records its --reason, and names what is missing', async () => {
    await stopServe(server);
    const id = openMarket();
    const r = cli(home, [
      'vet',
      ...['--agent', 'carol', '--market', id.toLowerCase(), '--outcome', 'no', '--side', 'buy', '--notional', '8'],
      ...['--execute', '--reason', 'NO is underpriced'],
    ]);
    expect(r.code, r.err).toBe(0);
    const report = JSON.parse(r.err.trim().split('\n').pop()!);
    expect(report.order).toMatchObject({ symbol: `${id}-NO/USDC`, status: 'filled' });
    const reasons = cli(home, ['ledger', 'export'])
      .out.split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .filter((x) => x.kind === 'order_reason')
      .map((x) => JSON.parse(x.body));
    expect(reasons.map((x) => [x.agent_id, x.reason])).toEqual([
      ['alice', 'cheap at the mid'],
      ['carol', 'NO is underpriced'],
    ]);

    // A credential pasted into a reason never reaches the ledger's stored text.
    const secret = `sk-${'Q7'.repeat(16)}`;
    const leak = cli(home, [
      'vet',
      ...['--agent', 'carol', '--market', id, '--outcome', 'NO', '--side', 'buy', '--notional', '9'],
      ...['--execute', '--reason', `my key is ${secret}`],
    ]);
    expect(leak.code, leak.err).toBe(0);
    const db = new Database(join(home, 'arbiter.db'), { readonly: true });
    try {
      const bodies = db.prepare("SELECT body FROM ledger WHERE kind = 'order_reason'").all() as { body: string }[];
      expect(bodies).toHaveLength(3);
      expect(bodies.map((b) => b.body).join('\n')).not.toContain(secret);
      expect(JSON.parse(bodies[2]!.body).reason).toBe('my key is [redacted]');
    } finally {
      db.close();
    }

    const half = cli(home, ['vet', '--agent', 'carol', '--market', id, '--side', 'buy', '--notional', '8']);
    expect(half.code).not.toBe(0);
    expect(half.err).toContain('a prediction-market order needs both market_id and outcome');
    const bad = cli(home, ['vet', '--agent', 'carol', '--market', id, '--outcome', 'MAYBE', '--side', 'buy']);
    expect(bad.err).toContain('--outcome takes YES or NO; got "MAYBE"');
    const dry = cli(home, ['vet', '--agent', 'carol', '--symbol', `${id}-NO/USDC`, '--side', 'buy', '--reason', 'x']);
    expect(dry.err).toContain('--reason is recorded with an order that is sent: use it with --execute');
  });
});
