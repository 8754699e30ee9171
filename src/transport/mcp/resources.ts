import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { maskJsonText } from '../../core/audit/redact.js';
import { parseSymbol } from '../../core/market/symbols.js';
import type { Timeframe } from '../../ports/market-data.js';
import type { McpContext } from './context.js';

/** A JSON resource; anything credential-shaped in it is masked (no pattern can cross a JSON string). */
const json = (uri: string, data: unknown) => ({
  contents: [{ uri, mimeType: 'application/json', text: maskJsonText(JSON.stringify(data, null, 2)) }],
});

export function registerResources(server: McpServer, ctx: McpContext): void {
  server.registerResource(
    'mandate',
    'arbiter://mandate',
    { title: 'Mandate', description: 'The mandate enforced for this venue', mimeType: 'application/json' },
    async (uri) => {
      const m = ctx.mandate();
      return json(uri.href, m.ok ? m.mandate : { error: m.code, message: m.message });
    },
  );
  server.registerResource(
    'limits',
    'arbiter://limits',
    {
      title: 'Limits headroom',
      description: 'Headroom under every limit for this agent',
      mimeType: 'application/json',
    },
    async (uri) => json(uri.href, await ctx.limits.status(ctx.session)),
  );
  server.registerResource(
    'positions',
    'arbiter://positions',
    { title: 'Positions', description: "This agent's open positions", mimeType: 'application/json' },
    async (uri) => json(uri.href, ctx.venue ? await ctx.venue.positions(ctx.session.accountId) : []),
  );
  server.registerResource(
    'ledger-head',
    'arbiter://ledger/head',
    {
      title: 'Ledger head',
      description: 'Record count and head hash of the verdict ledger',
      mimeType: 'application/json',
    },
    async (uri) => json(uri.href, await ctx.ledgerHead()),
  );
  server.registerResource(
    'candles',
    new ResourceTemplate('arbiter://candles/{symbol}/{timeframe}', {
      list: async () => ({
        resources: (await ctx.market.instruments()).map((i) => ({
          uri: `arbiter://candles/${encodeURIComponent(i.symbol)}/1h`,
          name: `${i.symbol} 1h candles`,
          mimeType: 'application/json',
        })),
      }),
    }),
    {
      title: 'Candles',
      description:
        'Closed candles: arbiter://candles/{symbol}/{timeframe} (symbol URL-encoded or native, e.g. BTCUSDT)',
      mimeType: 'application/json',
    },
    async (uri, vars) => {
      const sym = parseSymbol(decodeURIComponent(String(vars.symbol)));
      const tf = String(vars.timeframe) as Timeframe;
      if (!sym) throw new Error(`unknown symbol ${String(vars.symbol)}`);
      return json(uri.href, await ctx.market.candles(sym.symbol, tf, 200));
    },
  );
}
