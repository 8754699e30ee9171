import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mcpContext } from '../../src/app/services.js';
import { createArbiterMcp } from '../../src/transport/mcp/server.js';
import { call } from './support/call.js';
import { type Harness, startHarness } from './support/harness.js';

/**
 * An id stored before credential-shaped ids were refused: put straight into the venue, and recorded as alice's
 * order as the store held it then (no firewall today allows it).
 */
const OLD = 'sk-proj-Legacy0123456789abcdefXYZ';

describe('credential-shaped text stored from elsewhere is masked in every answer', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ bars: 0 });
    const venue = h.ctx.deps.venues.get('paper')!;
    const placed = await venue.placeOrder({
      accountId: 'alice',
      clientOrderId: OLD,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      quantity: 0.01,
      limitPrice: 1_000,
      timeInForce: 'GTC',
      reduceOnly: false,
      leverage: null,
    });
    const db = (h.ctx.deps.store as unknown as { db: import('better-sqlite3').Database }).db;
    db.prepare(
      `INSERT INTO orders (verdict_id, account_id, agent_id, client_order_id, symbol, side, status, venue_order_id,
         counted_day, created_at, updated_at, audited) VALUES ('vdt_legacy', 'alice', 'alice', ?, 'BTC/USDT', 'buy',
         'open', ?, '2024-01-01', 0, 0, 1)`,
    ).run(OLD, placed.orderId);
  });
  afterAll(async () => h.close());

  it('GET /v1/orders shows the order with its id masked', async () => {
    const r = await call(h, 'GET', '/v1/orders?status=all', { token: h.tokens.alice });
    expect(r.status).toBe(200);
    expect(r.body.orders.length, 'the order is there').toBeGreaterThan(0);
    expect(r.text).not.toContain(OLD.slice(0, 12));
    expect(r.text).toContain('[redacted]');
  });

  it('the MCP order tools show it masked too, in the text and the structured content', async () => {
    const session = { agentId: 'alice', accountId: 'alice', venue: 'paper', sessionId: 'mem' };
    const mcp = createArbiterMcp(mcpContext(h.ctx, h.services, session, 'paper'));
    const [a, b] = InMemoryTransport.createLinkedPair();
    await mcp.server.connect(b);
    const c = new Client({ name: 'mask', version: '1' });
    await c.connect(a);
    try {
      for (const name of ['get_open_orders', 'get_order_history']) {
        const r = await c.callTool({ name, arguments: {} });
        expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
        expect(JSON.stringify(r), name).not.toContain(OLD.slice(0, 12));
        expect(JSON.stringify(r.structuredContent), name).toContain('[redacted]');
      }
    } finally {
      await c.close();
    }
  });
});
