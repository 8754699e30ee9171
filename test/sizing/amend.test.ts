import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, tempHome } from '../support/cli.js';
import { addAgent, freePort, patchMandate, startServe, stopServe } from '../support/mcp.js';
import { stdioClient } from '../support/mcp-client.js';

type Sc = Record<string, any>;
const sc = (r: unknown) => (r as CallToolResult).structuredContent as Sc;
const text = (r: unknown) => JSON.stringify((r as CallToolResult).content);

interface Door {
  readonly client: Client;
  close(): Promise<void>;
}

async function stdioDoor(home: string): Promise<Door> {
  const client = await stdioClient(home, 'alice', 'amend-test');
  return { client, close: () => client.close() };
}

async function httpDoor(home: string): Promise<Door> {
  const token = addAgent(home, 'alice');
  const port = await freePort();
  const serve: ChildProcess = await startServe(home, port);
  const client = new Client({ name: 'amend-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    }),
  );
  return {
    client,
    close: async () => {
      await client.close();
      await stopServe(serve);
    },
  };
}

describe.each([
  ['stdio (arbiter mcp)', stdioDoor],
  ['Streamable HTTP (arbiter serve)', httpDoor],
])('amend_order over MCP, %s, judges the new size and price like a new order', (_door, open) => {
  let home: string;
  let door: Door;
  let orderId: string;
  let limit: number;
  let bid: number;
  const call = (name: string, args: Record<string, unknown> = {}) => door.client.callTool({ name, arguments: args });
  const theOrder = async (): Promise<Sc> => {
    const orders = sc(await call('get_open_orders')).orders as Sc[];
    const o = orders.find((x) => x.orderId === orderId);
    if (!o) throw new Error(`order ${orderId} is no longer open: ${JSON.stringify(orders)}`);
    return o;
  };

  beforeAll(async () => {
    home = tempHome();
    cli(home, ['mandate', 'init']);
    // Room for every call below within a second (the throttle is not what is tested here).
    patchMandate(home, (m) => {
      m.arbiter = { ...m.arbiter, throttle: { per_second: 100, per_minute: 1_000 } };
    });
    door = await open(home);
    bid = sc(await call('get_ticker', { symbol: 'ETH/USDT' })).bid;
    limit = Math.round(bid * 97) / 100; // 3% under the market: rests, inside the 5% collar
    const placed = await call('place_order', { symbol: 'ETH/USDT', side: 'buy', quantity: 0.1, limit_price: limit });
    expect(placed.isError, text(placed)).toBeFalsy();
    expect(sc(placed).order.status).toBe('open');
    orderId = sc(placed).order.orderId;
  });
  afterAll(async () => {
    await door.close();
    rmSync(home, { recursive: true, force: true });
  });

  it.each([
    ['quantity 0', { quantity: 0 }, 'field=quantity'],
    ['quantity -1', { quantity: -1 }, 'field=quantity'],
    ['quantity 1e13 (over the largest size accepted)', { quantity: 1e13 }, 'field=quantity'],
    ['limit price 0', { limit_price: 0 }, 'field=limit_price'],
    ['limit price -5', { limit_price: -5 }, 'field=limit_price'],
  ])(
    'refuses an amend to %s as INTENT_MALFORMED naming the field, and leaves the order as it was',
    async (_n, changes, field) => {
      const r = await call('amend_order', { order_id: orderId, ...changes });
      expect(r.isError, text(r)).toBe(true);
      expect(sc(r).decision, 'refused before anything is signed ALLOW').toBe('REJECT');
      expect(sc(r).reasons).toEqual(['INTENT_MALFORMED']);
      expect(sc(r).messages[0]).toContain(field);
      expect(sc(r).amended, 'nothing was sent to the venue').toBe(false);
      const o = await theOrder();
      expect([o.quantity, o.limitPrice]).toEqual([0.1, limit]);
    },
  );

  it('refuses an amend to a price outside the collar, as a new order at that price would be', async () => {
    const r = await call('amend_order', { order_id: orderId, limit_price: Math.round(bid * 150) / 100 });
    expect(r.isError, text(r)).toBe(true);
    expect(sc(r).reasons).toEqual(['PRICE_OUTSIDE_COLLAR']);
    expect((await theOrder()).limitPrice).toBe(limit);
  });

  it('refuses an amend to a size below the venue minimum, as a new order of that size would be', async () => {
    const r = await call('amend_order', { order_id: orderId, quantity: 0.00001 });
    expect(r.isError, text(r)).toBe(true);
    expect(sc(r).reasons).toEqual(['ORDER_BELOW_MINIMUM']);
    expect((await theOrder()).quantity).toBe(0.1);
  });

  it('amends to a valid size on the step grid exactly, and the venue holds the new size', async () => {
    const r = await call('amend_order', { order_id: orderId, quantity: 0.29 });
    expect(r.isError, text(r)).toBeFalsy();
    expect(sc(r).decision).toBe('ALLOW');
    expect(sc(r).effective_quantity).toBe(0.29);
    expect(sc(r).amended_order.quantity).toBe(0.29);
    expect((await theOrder()).quantity).toBe(0.29);
  });
});
