/**
 * Bytes an MCP client (and an LLM reading it) receives per tool result: vet_trade, place_order allowed and refused,
 * cancel_order. Counts the text block, the structured content and the whole JSON-RPC result as the SDK client gets
 * it, over the SDK's in-memory transport against `arbiter mcp`'s wiring (paper mode, synthetic market, a temp
 * ARBITER_HOME). Deterministic in size up to ids and prices; no timing is measured.
 *
 * Run: npx tsx bench/mcp-result-size.bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

async function main() {
  const home = mkdtempSync(join(tmpdir(), 'arbiter-bench-size-'));
  const { writeMandate } = await import('../src/adapters/runtime/mandate-file.js');
  const { RuntimeLayout } = await import('../src/adapters/runtime/layout.js');
  const { defaultMandate } = await import('../src/core/mandate/schema.js');
  const { loadSettings } = await import('../src/app/settings.js');
  const { createMarketData } = await import('../src/app/market.js');
  const { createContext } = await import('../src/app/context.js');
  const { buildServices, mcpContext } = await import('../src/app/services.js');
  const { createArbiterMcp } = await import('../src/transport/mcp/server.js');

  const settings = loadSettings({ ARBITER_HOME: home }, { home });
  writeMandate(new RuntimeLayout(home), defaultMandate(new Date(Date.now() - 60_000), 'f'.repeat(64), 'paper'));
  const ctx = await createContext(settings, { market: await createMarketData(settings) });
  const services = buildServices(ctx);
  const session = { agentId: 'bench', accountId: 'bench', venue: settings.venue, sessionId: 's1' };
  const mcp = createArbiterMcp(mcpContext(ctx, services, session, 'paper'));
  const [a, b] = InMemoryTransport.createLinkedPair();
  await mcp.server.connect(b);
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(a);

  const rows: [string, number, number, number][] = [];
  const measure = async (label: string, name: string, args: Record<string, unknown>) => {
    const r = (await client.callTool({ name, arguments: args })) as CallToolResult;
    const text = (r.content[0] as { text: string }).text;
    const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
    rows.push([label, bytes(text), bytes(JSON.stringify(r.structuredContent ?? null)), bytes(JSON.stringify(r))]);
    return r;
  };
  const quote = await ctx.deps.market.quote('BTC/USDT');
  await measure('vet_trade (ALLOW)', 'vet_trade', { symbol: 'BTC/USDT', side: 'buy', notional: 50 });
  await measure('vet_trade (ALLOW) with include_certificate', 'vet_trade', {
    symbol: 'BTC/USDT',
    side: 'buy',
    notional: 50,
    include_certificate: true,
  });
  await measure('place_order market (ALLOW, filled)', 'place_order', { symbol: 'BTC/USDT', side: 'buy', notional: 50 });
  await measure('place_order (REJECT)', 'place_order', { symbol: 'BTC/USDT', side: 'buy', notional: 1e9 });
  const resting = await measure('place_order limit (ALLOW, resting)', 'place_order', {
    symbol: 'BTC/USDT',
    side: 'buy',
    notional: 50,
    limit_price: Math.round((quote?.bid ?? 1000) * 0.99),
  });
  const order = (resting.structuredContent as { order?: { orderId?: string } }).order;
  if (order?.orderId) await measure('cancel_order', 'cancel_order', { order_id: order.orderId });

  console.log('| result | text block | structuredContent | whole result |');
  console.log('|---|---|---|---|');
  for (const [label, t, s, w] of rows) console.log(`| ${label} | ${t} B | ${s} B | ${w} B |`);
  await client.close();
  await ctx.close();
  rmSync(home, { recursive: true, force: true });
}

await main();
