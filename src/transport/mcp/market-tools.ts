import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { tidy } from '../../core/market/precision.js';
import { parseSymbol } from '../../core/market/symbols.js';
import type { Timeframe } from '../../ports/market-data.js';
import type { McpContext } from './context.js';
import { failure, ok } from './results.js';
import { anyObject, strictInput, symbolShape, TIMEFRAMES } from './schemas.js';

const READ = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;

/** Maps a symbol to the unified form and checks the market exists; the error lists what is accepted. */
export async function resolveSymbol(ctx: McpContext, symbol: string): Promise<string | CallToolResult> {
  const p = parseSymbol(symbol);
  const known = (await ctx.market.instruments()).map((i) => i.symbol);
  if (!p || !known.includes(p.symbol))
    return failure(
      'UNKNOWN_SYMBOL',
      `unknown symbol ${JSON.stringify(symbol.slice(0, 64))}; known: ${known.join(', ')}`,
    );
  return p.symbol;
}

type Wrap = <A>(fn: (args: A) => Promise<CallToolResult>) => (args: A) => Promise<CallToolResult>;

export function registerMarketTools(server: McpServer, ctx: McpContext, wrap: Wrap): void {
  const withSymbol =
    <A extends { symbol: string }>(fn: (sym: string, args: A) => Promise<CallToolResult>) =>
    async (args: A) => {
      const s = await resolveSymbol(ctx, args.symbol);
      return typeof s === 'string' ? fn(s, args) : s;
    };

  server.registerTool(
    'get_ticker',
    {
      title: 'Ticker',
      description: 'Best bid/ask, last price and the time they were observed, for one market.',
      inputSchema: strictInput(symbolShape),
      outputSchema: z.looseObject({
        symbol: z.string(),
        bid: z.number(),
        ask: z.number(),
        mid: z.number(),
        ts: z.number(),
      }),
      annotations: READ,
    },
    wrap(
      withSymbol(async (sym) => {
        const q = await ctx.market.quote(sym);
        if (!q) return failure('NO_QUOTE', `no quote for ${sym} right now`);
        // The mid lies on the half-tick grid: written without binary noise (84695.7, not 84695.70000000001).
        const tick = (await ctx.market.instrument(sym))?.tickSize;
        return ok({
          symbol: sym,
          bid: q.bid,
          ask: q.ask,
          mid: tidy((q.bid + q.ask) / 2, tick ? tick / 2 : null),
          ts: q.ts,
        });
      }),
    ),
  );

  server.registerTool(
    'get_candles',
    {
      title: 'Candles',
      description: 'Closed OHLCV candles up to now, oldest first (never the bar still forming).',
      inputSchema: strictInput({
        ...symbolShape,
        timeframe: z.enum(TIMEFRAMES).default('1h'),
        limit: z.number().int().min(1).max(1000).default(100),
      }),
      outputSchema: z.looseObject({ symbol: z.string(), timeframe: z.string(), candles: z.array(anyObject) }),
      annotations: READ,
    },
    wrap(
      withSymbol(async (sym, a: { symbol: string; timeframe: Timeframe; limit: number }) =>
        ok({
          symbol: sym,
          timeframe: a.timeframe,
          candles: [...(await ctx.market.candles(sym, a.timeframe, a.limit))],
        }),
      ),
    ),
  );

  server.registerTool(
    'get_orderbook',
    {
      title: 'Order book',
      description: 'Bids and asks (price, size) around the current quote.',
      inputSchema: strictInput({ ...symbolShape, depth: z.number().int().min(1).max(100).default(10) }),
      outputSchema: z.looseObject({
        symbol: z.string(),
        ts: z.number(),
        bids: z.array(anyObject),
        asks: z.array(anyObject),
      }),
      annotations: READ,
    },
    wrap(
      withSymbol(async (sym, a: { symbol: string; depth: number }) => {
        const b = await ctx.market.orderBook(sym, a.depth);
        return b
          ? ok({ symbol: sym, ts: b.ts, bids: [...b.bids], asks: [...b.asks] })
          : failure('NO_BOOK', `no book for ${sym}`);
      }),
    ),
  );

  server.registerTool(
    'get_funding_history',
    {
      title: 'Funding history',
      description: 'Perpetual funding rates (8-hourly), oldest first. Positive: longs pay shorts.',
      inputSchema: strictInput({ ...symbolShape, limit: z.number().int().min(1).max(500).default(30) }),
      outputSchema: z.looseObject({ symbol: z.string(), funding: z.array(anyObject) }),
      annotations: READ,
    },
    wrap(
      withSymbol(async (sym, a: { symbol: string; limit: number }) =>
        ok({ symbol: sym, funding: [...(await ctx.market.fundingHistory(sym, a.limit))] }),
      ),
    ),
  );

  server.registerTool(
    'get_open_interest',
    {
      title: 'Open interest',
      description: 'Open interest of a perpetual market.',
      inputSchema: strictInput(symbolShape),
      outputSchema: z.looseObject({ symbol: z.string(), ts: z.number(), value: z.number() }),
      annotations: READ,
    },
    wrap(
      withSymbol(async (sym) => {
        const oi = await ctx.market.openInterest(sym);
        return oi
          ? ok({ symbol: sym, ts: oi.ts, value: oi.value })
          : failure('NO_OPEN_INTEREST', `no open interest for ${sym}`);
      }),
    ),
  );

  server.registerTool(
    'get_instruments',
    {
      title: 'Instruments',
      description: 'Every tradable market with its kind, tick size, step size, minimums and maximum leverage.',
      inputSchema: strictInput({}),
      outputSchema: z.looseObject({ instruments: z.array(anyObject) }),
      annotations: READ,
    },
    wrap(async () => ok({ instruments: [...(await ctx.market.instruments())] })),
  );

  server.registerTool(
    'get_recent_trades',
    {
      title: 'Recent trades',
      description: 'Recent public trades, newest last.',
      inputSchema: strictInput({ ...symbolShape, limit: z.number().int().min(1).max(500).default(50) }),
      outputSchema: z.looseObject({ symbol: z.string(), trades: z.array(anyObject) }),
      annotations: READ,
    },
    wrap(
      withSymbol(async (sym, a: { symbol: string; limit: number }) =>
        ok({ symbol: sym, trades: [...(await ctx.market.recentTrades(sym, a.limit))] }),
      ),
    ),
  );
}
