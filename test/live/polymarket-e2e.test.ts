import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeEd25519Verify, nodeHasher } from '../../src/adapters/crypto/node-signer.js';
import { RuntimeLayout } from '../../src/adapters/runtime/layout.js';
import { writeMandate } from '../../src/adapters/runtime/mandate-file.js';
import { type AppContext, createContext } from '../../src/app/context.js';
import { createAdapters } from '../../src/app/market.js';
import { buildServices, type Services } from '../../src/app/services.js';
import { loadSettings } from '../../src/app/settings.js';
import { defaultMandate } from '../../src/core/mandate/schema.js';
import { PM_MARKETS, PolymarketEmulator } from '../emulator/polymarket.js';
import { BIN, cliAsync, tempHome } from '../support/cli.js';

const SYMBOL = 'FED-CUT-YES/USDC';

/** A CLOB emulator on Polygon's chain id with the wallet funded, and a home whose mandate admits outcome tokens. */
async function setUp(
  privateKey: `0x${string}`,
  usdc: number,
  prediction: Record<string, number> = {},
): Promise<{ emu: PolymarketEmulator; home: string }> {
  const emu = await PolymarketEmulator.start({ chainId: 137 });
  emu.engine.fund(privateKeyToAccount(privateKey).address, usdc);
  const home = tempHome();
  const m = defaultMandate(new Date(Date.now() - 60_000), nodeHasher.sha256Hex(home), 'polymarket');
  writeMandate(new RuntimeLayout(home), {
    ...m,
    hard_caps: { ...m.hard_caps, allowed_instruments: ['prediction'] },
    universe: { ...m.universe, asset_classes: ['prediction'] },
    arbiter: { ...m.arbiter, market_kinds: ['prediction'], prediction },
  });
  return { emu, home };
}

/** The settings of a live-mode process trading the emulator's first market with `privateKey`'s wallet. */
function pmEnv(emu: PolymarketEmulator, privateKey: string): Record<string, string> {
  return {
    ARBITER_VENUE: 'polymarket',
    ARBITER_MODE: 'live',
    ARBITER_VENUE_MODE: 'live',
    ARBITER_VENUE_URL: emu.url,
    ARBITER_POLYMARKET_MARKETS: `FED-CUT=${PM_MARKETS[0]!.condition_id}`,
    ARBITER_POLYMARKET_PRIVATE_KEY: privateKey,
  };
}

/** ARBITER_VENUE=polymarket, live mode, against the CLOB emulator on Polygon's chain id: firewall → CLOB → ledger. */
describe('live mode end to end on the Polymarket CLOB emulator', () => {
  let emu: PolymarketEmulator;
  let home: string;
  let app: AppContext;
  let services: Services;
  let closed = false;
  const privateKey = generatePrivateKey();
  const env = () => ({ ARBITER_HOME: home, ...pmEnv(emu, privateKey) });
  const session = () => ({ agentId: 'pm-agent', accountId: 'main', venue: 'polymarket', sessionId: 'e2e' });

  beforeAll(async () => {
    ({ emu, home } = await setUp(privateKey, 1_000, { min_liquidity_usd: 100 }));
    const e = env();
    const saved = { ...process.env };
    Object.assign(process.env, e);
    try {
      const settings = loadSettings(e);
      const adapters = await createAdapters(settings);
      app = await createContext(settings, { market: adapters.market, venues: adapters.venues });
      services = buildServices(app);
    } finally {
      for (const k of Object.keys(e)) if (!(k in saved)) delete process.env[k];
    }
  });
  afterAll(async () => {
    if (!closed) await app?.close();
    await emu?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('vets a YES buy, signs it for Polygon, fills it on the CLOB and records ledger and audit without secrets', async () => {
    // The firewall's execute path, the one every door's order (MCP place_order, POST /v1/orders, the CLI) runs.
    const r = await services.firewall.vet(
      { symbol: SYMBOL, side: 'buy', quantity: 20, client_order_id: 'pm-e2e-1' },
      session(),
      { execute: true, remoteTool: 'place_order' },
    );
    expect(r.certificate.payload.decision, JSON.stringify(r.certificate.payload.reasons)).toBe('ALLOW');
    expect(r.order?.status, JSON.stringify(r.orderError)).toBe('filled');
    expect(emu.engine.tokenBalance(privateKeyToAccount(privateKey).address, PM_MARKETS[0]!.tokens[0]!.token_id)).toBe(
      20,
    );
    const report = await app.ledger.verify(app.deps.signer.publicKey, app.deps.signer.keyId, nodeEd25519Verify);
    expect(report.ok).toBe(true);
    // The client order id → CLOB order id map, kept for lookups after a restart.
    const index = readFileSync(join(home, 'venues', 'polymarket', 'main', 'orders.json'), 'utf8');
    expect(index).toContain(`"orderId":"${r.order!.orderId}"`);
    // The audit file is a mirror written off the deciding thread: closing the app writes what is still queued.
    await app.close();
    closed = true;
    const audit = readFileSync(new RuntimeLayout(home).audit(), 'utf8');
    expect(audit).toContain('"kind": "order_placed"');
    expect(audit).not.toContain(privateKey.slice(2));
    for (const k of emu.keys.values()) {
      expect(audit).not.toContain(k.secret);
      expect(audit).not.toContain(k.passphrase);
    }
  });
});

/** The built CLI as a real process: `arbiter vet --execute` trades an outcome token on the emulator. */
describe('arbiter vet --execute on ARBITER_VENUE=polymarket (built CLI, CLOB emulator)', () => {
  let emu: PolymarketEmulator;
  let home: string;
  const privateKey = generatePrivateKey();

  beforeAll(async () => {
    ({ emu, home } = await setUp(privateKey, 500));
  });
  afterAll(async () => {
    await emu?.close();
    rmSync(home, { recursive: true, force: true });
  });

  const env = () => pmEnv(emu, privateKey);

  it('allows, signs and fills a NO buy, and prints neither the wallet key nor the API secret', async () => {
    const r = await cliAsync(
      home,
      ['vet', '--symbol', 'FED-CUT-NO/USDC', '--side', 'buy', '--quantity', '10', '--execute', '--agent', 'cli-pm'],
      env(),
    );
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).decision).toBe('ALLOW');
    expect(JSON.parse(r.err)).toMatchObject({
      order_state: 'filled',
      order: { symbol: 'FED-CUT-NO/USDC', filledQuantity: 10 },
    });
    expect(emu.engine.tokenBalance(privateKeyToAccount(privateKey).address, PM_MARKETS[0]!.tokens[1]!.token_id)).toBe(
      10,
    );
    for (const text of [r.out, r.err]) {
      expect(text).not.toContain(privateKey.slice(2));
      for (const k of emu.keys.values()) expect(text).not.toContain(k.secret);
    }
  });

  it('refuses to start on a wallet key that is not one, naming the variable and not the value', async () => {
    const r = await cliAsync(
      home,
      ['vet', '--symbol', 'FED-CUT-NO/USDC', '--side', 'buy', '--quantity', '10', '--agent', 'cli-pm'],
      {
        ...env(),
        ARBITER_POLYMARKET_PRIVATE_KEY: 'not-a-key-xyz',
      },
    );
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('ARBITER_POLYMARKET_PRIVATE_KEY (a 32-byte hex private key)');
    expect(r.err).not.toContain('not-a-key-xyz');
  });
});

/** An MCP agent over stdio (the built CLI) trades an outcome token on the CLOB emulator with place_order. */
describe('place_order over MCP stdio on ARBITER_VENUE=polymarket (built CLI, CLOB emulator)', () => {
  let emu: PolymarketEmulator;
  let home: string;
  const privateKey = generatePrivateKey();

  beforeAll(async () => {
    ({ emu, home } = await setUp(privateKey, 500));
  });
  afterAll(async () => {
    await emu?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('buys YES by market id and outcome with a reason, and sees the shares in positions', async () => {
    const client = new Client({ name: 'pm-live-agent', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [BIN, 'mcp', '--agent', 'mcp-pm'],
        env: {
          ...process.env,
          ARBITER_HOME: home,
          ...pmEnv(emu, privateKey),
        } as Record<string, string>,
        stderr: 'pipe',
      }),
    );
    try {
      const r = (await client.callTool({
        name: 'place_order',
        arguments: { market_id: 'FED-CUT', outcome: 'YES', side: 'buy', quantity: 15, reason: 'priced below my 60%' },
      })) as CallToolResult;
      const body = r.structuredContent as Record<string, any>;
      expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
      expect(body.decision).toBe('ALLOW');
      expect(body.order).toMatchObject({ symbol: SYMBOL, status: 'filled', filledQuantity: 15 });
      expect(emu.engine.tokenBalance(privateKeyToAccount(privateKey).address, PM_MARKETS[0]!.tokens[0]!.token_id)).toBe(
        15,
      );
      const positions = (await client.callTool({ name: 'get_positions', arguments: {} })) as CallToolResult;
      const held = (positions.structuredContent as { positions: { symbol: string; quantity: number }[] }).positions;
      expect(held.find((p) => p.symbol === SYMBOL)?.quantity).toBe(15);
    } finally {
      await client.close();
    }
  });
});
