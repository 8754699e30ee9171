import { rmSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeHasher } from '../../src/adapters/crypto/node-signer.js';
import { RuntimeLayout } from '../../src/adapters/runtime/layout.js';
import { writeMandate } from '../../src/adapters/runtime/mandate-file.js';
import { defaultMandate } from '../../src/core/mandate/schema.js';
import { PM_MARKETS, PolymarketEmulator } from '../emulator/polymarket.js';
import { BIN, cliAsync, tempHome } from '../support/cli.js';

type Sc = Record<string, any>;
const sc = (r: unknown) => (r as CallToolResult).structuredContent as Sc;
const text = (r: unknown) => ((r as CallToolResult).content[0] as { text: string }).text;
const FED = PM_MARKETS[0]!;
const BTC = PM_MARKETS[1]!;
const MARKETS = `FED-CUT=${FED.condition_id},BTC-150K=${BTC.condition_id}`;

/** A home whose mandate admits outcome tokens. */
function predictionHome(): string {
  const home = tempHome('arbiter-pm-list-');
  const m = defaultMandate(new Date(Date.now() - 60_000), nodeHasher.sha256Hex(home), 'polymarket');
  writeMandate(new RuntimeLayout(home), {
    ...m,
    hard_caps: { ...m.hard_caps, allowed_instruments: ['prediction'] },
    universe: { ...m.universe, asset_classes: ['prediction'] },
    arbiter: { ...m.arbiter, market_kinds: ['prediction'], prediction: {} },
  });
  return home;
}

async function mcpClient(home: string, env: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'pm-reader', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'mcp', '--agent', 'pm-reader'],
      env: { ...process.env, ARBITER_HOME: home, ARBITER_VENUE: 'polymarket', ...env } as Record<string, string>,
      stderr: 'pipe',
    }),
  );
  return client;
}

/** The built CLI's MCP server over stdio on ARBITER_VENUE=polymarket, reading the CLOB emulator's markets. */
describe('list_markets / get_market on ARBITER_VENUE=polymarket (built CLI over MCP stdio, CLOB emulator)', () => {
  let emu: PolymarketEmulator;
  let home: string;
  let client: Client;
  const privateKey = generatePrivateKey();

  beforeAll(async () => {
    emu = await PolymarketEmulator.start({ chainId: 137 });
    emu.engine.fund(privateKeyToAccount(privateKey).address, 500);
    // The BTC market has resolved YES on the CLOB; the Fed market still trades.
    emu.resolveMarket(BTC.condition_id, 'Yes');
    home = predictionHome();
    client = await mcpClient(home, {
      ARBITER_MODE: 'live',
      ARBITER_VENUE_MODE: 'live',
      ARBITER_VENUE_URL: emu.url,
      ARBITER_POLYMARKET_MARKETS: MARKETS,
      ARBITER_POLYMARKET_PRIVATE_KEY: privateKey,
    });
  });
  afterAll(async () => {
    await client?.close();
    await emu?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('lists the configured markets as the CLOB describes them: an open one with its prices, a resolved one with its outcome', async () => {
    const r = await client.callTool({ name: 'list_markets', arguments: {} });
    expect(r.isError, text(r)).toBeFalsy();
    const ms = sc(r).markets as Sc[];
    expect(ms.map((m) => m.market_id)).toEqual(['FED-CUT', 'BTC-150K']);
    expect(ms[0]).toEqual({
      market_id: 'FED-CUT',
      question: FED.question,
      resolves_at: '2027-12-31T00:00:00.000Z',
      resolution_source: 'The resolution source will be the FOMC statement published on federalreserve.gov.',
      status: 'open',
      outcome: null,
      prices: { YES: 0.5, NO: 0.5 },
      tokens: { YES: 'FED-CUT-YES/USDC', NO: 'FED-CUT-NO/USDC' },
      tick_size: 0.01,
      description: FED.description,
    });
    expect(ms[1]).toMatchObject({
      market_id: 'BTC-150K',
      question: BTC.question,
      resolution_source: 'The resolution source will be Binance.',
      status: 'resolved',
      outcome: 'YES',
      prices: { YES: 1, NO: 0 },
      tokens: { YES: 'BTC-150K-YES/USDC', NO: 'BTC-150K-NO/USDC' },
      tick_size: 0.001,
    });
  });

  it('filters by status and reads one market by id; an unknown id names the configured ones', async () => {
    const resolved = sc(await client.callTool({ name: 'list_markets', arguments: { status: 'resolved' } }));
    expect(resolved.markets.map((m: Sc) => m.market_id)).toEqual(['BTC-150K']);
    const one = await client.callTool({ name: 'get_market', arguments: { market_id: 'fed-cut' } });
    expect(one.isError, text(one)).toBeFalsy();
    expect(sc(one)).toMatchObject({ market_id: 'FED-CUT', status: 'open', prices: { YES: 0.5, NO: 0.5 } });
    const unknown = await client.callTool({ name: 'get_market', arguments: { market_id: 'NOPE' } });
    expect(unknown.isError).toBe(true);
    expect(JSON.parse(text(unknown))).toMatchObject({ error: 'UNKNOWN_MARKET' });
    expect(text(unknown)).toContain('known: FED-CUT, BTC-150K');
  });

  it('refuses a buy on the resolved market with PREDICTION_MARKET_RESOLVED and sends nothing to the CLOB', async () => {
    const r = await client.callTool({
      name: 'place_order',
      arguments: { market_id: 'BTC-150K', outcome: 'YES', side: 'buy', quantity: 10, reason: 'already won' },
    });
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('PREDICTION_MARKET_RESOLVED');
    expect(emu.requests.filter((q) => q.method === 'POST' && q.path === '/order')).toEqual([]);
  });
});

describe('list_markets when the CLOB cannot be reached (built CLI over MCP stdio)', () => {
  it('is a tool error naming the failure, not an empty list', async () => {
    // An emulator started and stopped: its port answers nothing.
    const gone = await PolymarketEmulator.start({ chainId: 137 });
    const url = gone.url;
    await gone.close();
    const home = predictionHome();
    const client = await mcpClient(home, {
      ARBITER_MODE: 'readonly',
      ARBITER_VENUE_MODE: 'live',
      ARBITER_VENUE_URL: url,
      ARBITER_POLYMARKET_MARKETS: MARKETS,
    });
    try {
      const r = await client.callTool({ name: 'list_markets', arguments: {} });
      expect(r.isError).toBe(true);
      expect(JSON.parse(text(r))).toMatchObject({ error: 'EXCHANGE_DOWN' });
      const one = await client.callTool({ name: 'get_market', arguments: { market_id: 'FED-CUT' } });
      expect(one.isError).toBe(true);
      expect(JSON.parse(text(one))).toMatchObject({ error: 'EXCHANGE_DOWN' });
    } finally {
      await client.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});

/** `arbiter venues check --venue polymarket` as its own process against the CLOB emulator. */
describe('arbiter venues check --venue polymarket (built CLI, CLOB emulator)', () => {
  let emu: PolymarketEmulator;
  let home: string;
  const privateKey = generatePrivateKey();
  const address = privateKeyToAccount(privateKey).address;

  beforeAll(async () => {
    emu = await PolymarketEmulator.start({ chainId: 137 });
    emu.engine.fund(address, 250);
    home = tempHome('arbiter-pm-check-');
  });
  afterAll(async () => {
    await emu?.close();
    rmSync(home, { recursive: true, force: true });
  });

  const check = (env: Record<string, string>) =>
    cliAsync(home, ['venues', 'check', '--venue', 'polymarket', '--mode', 'live'], {
      ARBITER_VENUE_URL: emu.url,
      ...env,
    });

  it('authenticates with a key derived from the wallet and reads its USDC balance and allowance, printing no secret', async () => {
    const r = await check({ ARBITER_POLYMARKET_PRIVATE_KEY: privateKey });
    expect(r.code, r.err).toBe(0);
    const [report] = JSON.parse(r.out).venues;
    expect(report).toEqual({
      venue: 'polymarket',
      mode: 'live',
      present: { privateKey: true, apiKey: false, secret: false, passphrase: false, funder: false, source: 'env' },
      wallet: address,
      authenticated: true,
      usdc: { balance: 250, allowance: expect.any(Number) },
      error: null,
    });
    expect(report.usdc.allowance).toBeGreaterThan(1e60);
    // The L2 key was issued to this wallet by the venue: none of it is printed.
    expect(emu.keys.size).toBe(1);
    for (const k of emu.keys.values())
      for (const s of [k.key, k.secret, k.passphrase]) expect(r.out + r.err).not.toContain(s);
    expect(r.out + r.err).not.toContain(privateKey.slice(2));
  });

  it('reports API credentials the CLOB refuses as not authenticated (AUTH_FAILED), printing none of them', async () => {
    const bad = {
      key: 'b0a1c2d3-0000-4000-8000-000000000000',
      secret: 'c2VjcmV0LXRoYXQtaXMtd3Jvbmc=',
      pass: 'wrongpass123',
    };
    const r = await check({
      ARBITER_POLYMARKET_PRIVATE_KEY: privateKey,
      ARBITER_POLYMARKET_API_KEY: bad.key,
      ARBITER_POLYMARKET_API_SECRET: bad.secret,
      ARBITER_POLYMARKET_PASSPHRASE: bad.pass,
    });
    expect(r.code, r.err).toBe(0);
    const [report] = JSON.parse(r.out).venues;
    expect(report).toMatchObject({
      present: { privateKey: true, apiKey: true, secret: true, passphrase: true },
      authenticated: false,
      usdc: null,
      error: 'AUTH_FAILED',
    });
    for (const s of [bad.key, bad.secret, bad.pass, privateKey.slice(2)]) expect(r.out + r.err).not.toContain(s);
  });

  it('says no wallet key is present without asking the venue', async () => {
    const before = emu.requests.length;
    const r = await check({});
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).venues[0]).toMatchObject({
      present: { privateKey: false, source: null },
      authenticated: null,
      usdc: null,
      error: null,
    });
    expect(emu.requests.length).toBe(before);
  });
});
