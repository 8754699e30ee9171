import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { tidy } from '../../core/market/precision.js';
import { parseSymbol } from '../../core/market/symbols.js';
import type { ListedMarketView } from '../../core/prediction/board.js';
import { parseOutcomeSymbol } from '../../core/prediction/types.js';
import type { Timeframe } from '../../ports/market-data.js';
import type { McpContext } from './context.js';
import { failure, ok } from './results.js';
import { anyObject, strictInput, symbolShape, TIMEFRAMES } from './schemas.js';

const READ = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;

/** Maps a symbol to the unified form and checks the market exists; the error lists what is accepted. */
export async function resolveSymbol(ctx: McpContext, symbol: string): Promise<string | CallToolResult> {
  const p = parseSymbol(symbol);
  const known = (await ctx.market.instruments()).map((i) => i.symbol);
  if (p && known.includes(p.symbol)) return p.symbol;
  // A listed prediction market's outcome token (list_markets names them) is a market too.
  if (ctx.predictions && parseOutcomeSymbol(symbol)) {
    const inst = await ctx.market.instrument(symbol).catch(() => null);
    if (inst?.kind === 'prediction') return inst.symbol;
  }
  const tokens = ctx.predictions ? ", or a listed prediction market's outcome token (<MARKET_ID>-YES/USDC)" : '';
  return failure(
    'UNKNOWN_SYMBOL',
    `unknown symbol ${JSON.stringify(symbol.slice(0, 64))}; known: ${known.join(', ')}${tokens}`,
  );
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
  if (ctx.predictions) registerPredictionTools(server, ctx.predictions, wrap);
}

const marketIdShape = {
  market_id: z.string().min(1).max(64).describe('a prediction market id from list_markets, e.g. SYN1-M1'),
};

/** Read-only tools over the listed prediction markets. */
function registerPredictionTools(
  server: McpServer,
  markets: () => Promise<readonly ListedMarketView[]>,
  wrap: Wrap,
): void {
  server.registerTool(
    'list_markets',
    {
      title: 'Prediction markets',
      description:
        "Lists the binary prediction markets: id, question, resolution time and source, status (open, closed, resolved), the outcome once resolved, and the prices of the YES and NO tokens (the paper venue's: mids inside (0, 1) summing to 1; a venue's: each token's price as the venue lists it; 1 and 0 once resolved).",
      inputSchema: strictInput({
        status: z.enum(['open', 'closed', 'resolved']).optional().describe('only markets with this status'),
      }),
      outputSchema: z.looseObject({ markets: z.array(anyObject) }),
      annotations: READ,
    },
    wrap(async (a: { status?: 'open' | 'closed' | 'resolved' }) =>
      ok({ markets: (await markets()).filter((m) => a.status === undefined || m.status === a.status) }),
    ),
  );
  server.registerTool(
    'get_market',
    {
      title: 'Prediction market',
      description:
        'One prediction market by id: its question, resolution time and source, status, outcome once resolved, YES and NO prices, tick size and the symbols of its outcome tokens.',
      inputSchema: strictInput(marketIdShape),
      outputSchema: z.looseObject({ market_id: z.string(), status: z.string(), prices: anyObject }),
      annotations: READ,
    },
    wrap(async (a: { market_id: string }) => {
      const all = await markets();
      const m = all.find((x) => x.market_id === a.market_id.trim().toUpperCase());
      if (!m)
        return failure(
          'UNKNOWN_MARKET',
          `unknown market ${JSON.stringify(a.market_id.slice(0, 64))}; known: ${all.map((x) => x.market_id).join(', ')}`,
        );
      return ok({ ...m });
    }),
  );
}
