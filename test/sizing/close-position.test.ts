import { rmSync } from 'node:fs';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, tempHome } from '../support/cli.js';
import { patchMandate } from '../support/mcp.js';
import { stdioClient } from '../support/mcp-client.js';

type Sc = Record<string, any>;
const sc = (r: unknown) => (r as CallToolResult).structuredContent as Sc;
const text = (r: unknown) => JSON.stringify((r as CallToolResult).content);

/**
 * An agent over MCP (the built CLI as its own process, the SDK's client over stdio) on the paper exchange, where
 * ETH/USDT trades in steps of 0.0001 ETH with a $5 minimum notional.
 */
describe('sizes that can always be closed, over MCP', () => {
  let home: string;
  let client: Client;

  const call = (name: string, args: Record<string, unknown> = {}) => client.callTool({ name, arguments: args });
  const position = async (symbol: string): Promise<number> => {
    const ps = sc(await call('get_positions')).positions as Sc[];
    return ps.find((p) => p.symbol === symbol)?.quantity ?? 0;
  };

  beforeAll(async () => {
    home = tempHome();
    cli(home, ['mandate', 'init']);
    // Room for the handful of orders below in one second (the throttle is not what is tested here).
    patchMandate(home, (m) => {
      m.arbiter = { ...m.arbiter, throttle: { per_second: 100, per_minute: 1_000 } };
    });
    client = await stdioClient(home, 'alice', 'sizing-test');
  });
  afterAll(async () => {
    await client.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('buys 0.29 ETH as 0.29 ETH, and close_position then leaves the account exactly flat', async () => {
    const buy = await call('place_order', { symbol: 'ETH/USDT', side: 'buy', quantity: 0.29 });
    expect(buy.isError, text(buy)).toBeFalsy();
    expect(sc(buy).effective_quantity, 'a quantity already on the 0.0001 step grid is not rounded down').toBe(0.29);
    expect(sc(buy).order.filledQuantity, 'the venue fills what was asked').toBe(0.29);
    expect(await position('ETH/USDT')).toBe(0.29);

    const close = await call('close_position', { symbol: 'ETH/USDT' });
    expect(close.isError, text(close)).toBeFalsy();
    expect(sc(close).effective_quantity, 'the close is sized at the whole position').toBe(0.29);
    expect(await position('ETH/USDT'), 'no 0.0001 ETH of dust is left behind').toBe(0);
    const again = await call('close_position', { symbol: 'ETH/USDT' });
    expect(text(again), 'there is nothing left to close').toContain('NO_POSITION');
  });

  it('closes dust worth less than the venue minimum with close_position (on the perpetual)', async () => {
    const PERP = 'ETH/USDT:USDT';
    const buy = await call('place_order', { symbol: PERP, side: 'buy', quantity: 0.3 });
    expect(buy.isError, text(buy)).toBeFalsy();
    // A partial close that leaves 0.003 ETH: about $2, below the $5 minimum notional of a new order.
    const partial = await call('place_order', { symbol: PERP, side: 'sell', quantity: 0.297, reduce_only: true });
    expect(partial.isError, text(partial)).toBeFalsy();
    const dust = await position(PERP);
    expect(dust).toBeCloseTo(0.003, 12);
    const ticker = sc(await call('get_ticker', { symbol: PERP }));
    expect(dust * ticker.bid, 'the dust is worth less than the minimum a new order needs').toBeLessThan(5);

    // The same quantity as a plain sell (not reduce-only) is still held to the minimum.
    const plain = await call('vet_trade', { symbol: PERP, side: 'sell', quantity: dust });
    expect(sc(plain).reasons).toEqual(['ORDER_BELOW_MINIMUM']);

    const close = await call('close_position', { symbol: PERP });
    expect(close.isError, text(close)).toBeFalsy();
    expect(sc(close).decision).toBe('ALLOW');
    expect(sc(close).effective_quantity, 'the dust is closed as it is, not rounded or refused').toBe(dust);
    expect(sc(close).order.status).toBe('filled');
    expect(await position(PERP), 'a reduction to flat is always allowed').toBe(0);
  });
});
