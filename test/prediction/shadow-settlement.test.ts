import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, tempHome } from '../support/cli.js';
import { admitPredictionMarkets, shadowAgent } from '../support/mcp.js';

type Sc = Record<string, any>;
const sc = (r: unknown) => (r as CallToolResult).structuredContent as Sc;
const text = (r: unknown) => ((r as CallToolResult).content[0] as { text: string }).text;
const HOUR = 3_600_000;
const ledger = (jsonl: string) =>
  jsonl
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { kind: string; body: string });

describe('a shadow-mode agent lists markets, buys YES with a reason, sees the position, and is paid at resolution', () => {
  let home: string;
  let market: Sc;
  let bought: Sc;
  let cashAfterBuy: number;
  let equityBefore: number;

  beforeAll(() => {
    home = tempHome('arbiter-pm-settle-');
    expect(cli(home, ['mandate', 'init']).code).toBe(0);
    admitPredictionMarkets(home, { collar_cents: 5, max_cost_basis_per_market_usd: 100 });
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('before resolution: buys YES by market id with a reason, and sees the shares in positions and equity', async () => {
    const client = await shadowAgent(home, 0);
    try {
      const open = sc(await client.callTool({ name: 'list_markets', arguments: { status: 'open' } })).markets as Sc[];
      // The open market that resolves last: the most time before resolution.
      market = open.reduce((a, b) => (Date.parse(b.resolves_at) > Date.parse(a.resolves_at) ? b : a));
      const before = sc(await client.callTool({ name: 'get_balance', arguments: {} }));
      equityBefore = before.equity;

      const r = await client.callTool({
        name: 'place_order',
        arguments: {
          market_id: market.market_id,
          outcome: 'YES',
          side: 'buy',
          notional: 20,
          reason: 'I put YES at 0.7 against a market mid below that',
        },
      });
      expect(r.isError, text(r)).toBeFalsy();
      bought = sc(r);
      expect(bought.decision).toBe('ALLOW');
      expect(bought.order.symbol).toBe(`${market.market_id}-YES/USDC`);
      expect(bought.order.status).toBe('filled');
      const shares = bought.order.filledQuantity as number;
      expect(shares).toBeGreaterThan(0);
      expect(bought.order.avgFillPrice).toBeGreaterThan(0);
      expect(bought.order.avgFillPrice).toBeLessThan(1);

      const positions = sc(await client.callTool({ name: 'get_positions', arguments: {} })).positions as Sc[];
      const p = positions.find((x) => x.symbol === `${market.market_id}-YES/USDC`);
      expect(p, JSON.stringify(positions)).toBeDefined();
      expect(p!.quantity).toBeCloseTo(shares, 8);
      expect(p!.entryPrice).toBeCloseTo(bought.order.avgFillPrice, 2);
      expect(p!.markPrice).toBeGreaterThan(0);
      expect(p!.markPrice).toBeLessThan(1);

      const after = sc(await client.callTool({ name: 'get_balance', arguments: {} }));
      const paid = shares * bought.order.avgFillPrice + bought.order.fills[0].fee;
      // The shares were bought with the account's one cash balance: free cash fell by what they cost ...
      expect(after.free).toBeCloseTo(before.free - paid, 6);
      // ... and equity holds them at the mid, so it moves by the spread and the fee only.
      expect(after.equity).toBeCloseTo(before.equity - paid + shares * p!.markPrice, 6);
      cashAfterBuy = after.free;

      const vetAgain = await client.callTool({
        name: 'vet_trade',
        arguments: {
          market_id: market.market_id,
          outcome: 'YES',
          side: 'buy',
          notional: 20,
          include_certificate: true,
        },
      });
      // The cost basis the firewall reads is the venue's: the shares just bought.
      expect(sc(vetAgain).certificate.payload.context.prediction.cost_basis_market).toBeCloseTo(
        shares * bought.order.avgFillPrice,
        6,
      );
    } finally {
      await client.close();
    }
  });

  it('the reason is in the ledger beside the verdict it explains', () => {
    const r = cli(home, ['ledger', 'export']);
    expect(r.code, r.err).toBe(0);
    const reasons = ledger(r.out).filter((x) => x.kind === 'order_reason');
    expect(reasons).toHaveLength(1);
    expect(JSON.parse(reasons[0]!.body)).toMatchObject({
      agent_id: 'alice',
      verdict_id: bought.verdict_id,
      symbol: `${market.market_id}-YES/USDC`,
      reason: 'I put YES at 0.7 against a market mid below that',
    });
  });

  it('after a restart past resolution: the position is gone, the payout is in cash, the settlement is audited, nothing trades', async () => {
    const offset = Date.parse(market.resolves_at) + HOUR - Date.now();
    const client = await shadowAgent(home, offset);
    try {
      const m = sc(await client.callTool({ name: 'get_market', arguments: { market_id: market.market_id } }));
      expect(m.status).toBe('resolved');
      expect(['YES', 'NO']).toContain(m.outcome);
      const shares = bought.order.filledQuantity as number;
      const payout = m.outcome === 'YES' ? shares : 0;

      const positions = sc(await client.callTool({ name: 'get_positions', arguments: {} })).positions as Sc[];
      expect(positions.find((x) => x.symbol.startsWith(`${market.market_id}-`))).toBeUndefined();
      const bal = sc(await client.callTool({ name: 'get_balance', arguments: {} }));
      expect(bal.free).toBeCloseTo(cashAfterBuy + payout, 6);
      expect(bal.equity).toBeCloseTo(bal.total, 6);
      const fee = bought.order.fills[0].fee as number;
      expect(bal.equity).toBeCloseTo(equityBefore - shares * bought.order.avgFillPrice - fee + payout, 6);

      const late = await client.callTool({
        name: 'place_order',
        arguments: { market_id: market.market_id, outcome: 'YES', side: 'buy', notional: 20 },
      });
      expect(late.isError).toBe(true);
      expect(sc(late).reasons).toContain('PREDICTION_MARKET_RESOLVED');
    } finally {
      await client.close();
    }
    const audit = readFileSync(join(home, 'live', 'audit.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('prediction_settlement'))
      .map((l) => JSON.parse(l))
      .map((r) => {
        // An audit record in Vibe-Trading's shape, the settlement as the venue's response.
        expect(r).toMatchObject({ kind: 'prediction_settlement', outcome: 'accepted', server: 'paper' });
        expect(r.ts).toMatch(/\+00:00$/);
        return r.broker_response;
      });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      status: 'settled',
      // The audit log masks account references, as in every audit row; the ledger record names the account.
      account_id: '[redacted]',
      market_id: market.market_id,
      held_outcome: 'YES',
      shares: bought.order.filledQuantity,
    });
    expect(audit[0].payout).toBe(audit[0].resolved_outcome === 'YES' ? bought.order.filledQuantity : 0);

    // A second restart settles nothing again: the holding is gone, the one audit row stays one.
    const again = await shadowAgent(home, offset + HOUR);
    try {
      const bal = sc(await again.callTool({ name: 'get_balance', arguments: {} }));
      expect(bal.free).toBeCloseTo(cashAfterBuy + (audit[0].payout as number), 6);
    } finally {
      await again.close();
    }
    const rows = readFileSync(join(home, 'live', 'audit.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('prediction_settlement'));
    expect(rows).toHaveLength(1);
    const settled = ledger(cli(home, ['ledger', 'export']).out).filter((x) => x.kind === 'prediction_settlement');
    expect(settled).toHaveLength(1);
    expect(JSON.parse(settled[0]!.body)).toMatchObject({
      account_id: 'main',
      market_id: market.market_id,
      payout: audit[0].payout,
    });
  });
});

describe('ARBITER_CLOCK_OFFSET_MS (built CLI)', () => {
  it('is refused in live mode before anything starts, naming the setting', () => {
    const home = tempHome('arbiter-clock-live-');
    try {
      const r = cli(home, ['mcp'], {
        ARBITER_MODE: 'live',
        ARBITER_VENUE: 'bybit',
        ARBITER_VENUE_MODE: 'live',
        ARBITER_CLOCK_OFFSET_MS: '3600000',
      });
      expect(r.code).not.toBe(0);
      expect(r.err).toContain(
        'ARBITER_CLOCK_OFFSET_MS is for paper and read-only simulations: live mode runs on the real clock (unset it)',
      );
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('moves the clock a paper process lists markets at', async () => {
    const home = tempHome('arbiter-clock-paper-');
    const offset = 1_000 * HOUR;
    const client = await shadowAgent(home, offset);
    try {
      const open = sc(await client.callTool({ name: 'list_markets', arguments: { status: 'open' } })).markets as Sc[];
      // Every listed market resolves at most 200 hours after the (moved) now, and later than the real one + 800 h.
      for (const m of open) {
        expect(Date.parse(m.resolves_at)).toBeGreaterThan(Date.now() + offset);
        expect(Date.parse(m.resolves_at)).toBeLessThanOrEqual(Date.now() + offset + 200 * HOUR);
      }
    } finally {
      await client.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
