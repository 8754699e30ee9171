import { rmSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHyperliquidEmulator } from '../emulator/hyperliquid.js';
import type { VenueEmulator } from '../emulator/server.js';
import { BIN, cli, tempHome } from '../support/cli.js';

type Sc = Record<string, any>;
const sc = (r: unknown) => (r as CallToolResult).structuredContent as Sc;
const SYMBOL = 'BTC/USDC:USDC';

/** An agent trades Hyperliquid over MCP: `arbiter mcp` (the built CLI, its own process) in live mode on the emulator. */
describe('MCP over stdio on Hyperliquid (live mode, mainnet emulator)', () => {
  let emu: VenueEmulator;
  let home: string;
  let client: Client;

  beforeAll(async () => {
    emu = await startHyperliquidEmulator({ network: 'mainnet', wallet: 10_000 });
    home = tempHome('arbiter-hl-mcp-');
    const init = cli(home, ['mandate', 'init', '--broker', 'hyperliquid']);
    expect(init.code, init.err).toBe(0);
    client = new Client({ name: 'hl-test', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [BIN, 'mcp', '--agent', 'hl-agent'],
        env: {
          ...process.env,
          ARBITER_HOME: home,
          ARBITER_VENUE: 'hyperliquid',
          ARBITER_MODE: 'live',
          ARBITER_VENUE_MODE: 'live',
          ARBITER_VENUE_URL: emu.url,
          ARBITER_HYPERLIQUID_WALLET_ADDRESS: emu.options.credentials.apiKey,
          ARBITER_HYPERLIQUID_PRIVATE_KEY: emu.options.credentials.secret,
        } as Record<string, string>,
        stderr: 'pipe',
      }),
    );
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await emu?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('quotes, places a firewall-allowed order that the wallet signs, and shows the position and balance', async () => {
    const ticker = await client.callTool({ name: 'get_ticker', arguments: { symbol: SYMBOL } });
    expect(ticker.isError, JSON.stringify(ticker.content)).toBeFalsy();
    expect(sc(ticker).bid).toBe(59_999);
    const r = await client.callTool({
      name: 'place_order',
      arguments: { symbol: SYMBOL, side: 'buy', notional: 300, client_order_id: 'hl-mcp-1' },
    });
    expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
    const held = emu.engine.positions()[0]?.qty ?? 0;
    expect(held, 'about 300 USDC of BTC, rounded down to the venue’s size step').toBeGreaterThan(0.0049);
    expect(held).toBeLessThanOrEqual(0.005);
    const signed = emu.requests.filter((q) => q.path === '/exchange');
    expect(signed.length).toBeGreaterThan(0);
    expect(signed.every((q) => !q.authFailed)).toBe(true);
    const pos = await client.callTool({ name: 'get_positions', arguments: {} });
    expect(sc(pos).positions.find((p: Sc) => p.symbol === SYMBOL).quantity).toBeCloseTo(held, 12);
    const bal = await client.callTool({ name: 'get_balance', arguments: {} });
    expect(JSON.stringify(bal.content)).not.toContain(emu.options.credentials.secret.slice(2));
    expect(sc(bal).equity).toBeGreaterThan(9_900);
  }, 60_000);
});
