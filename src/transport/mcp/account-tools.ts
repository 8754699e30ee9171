import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { Venue } from '../../ports/venue.js';
import { readableBalance, readablePositions } from '../../services/readable.js';
import type { McpContext } from './context.js';
import { failure, ok } from './results.js';
import { anyObject, strictInput } from './schemas.js';

const READ = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;
type Wrap = <A>(fn: (args: A) => Promise<CallToolResult>) => (args: A) => Promise<CallToolResult>;

/** Account reads for the session's own account only: the account id comes from the session, never an argument. */
export function registerAccountTools(server: McpServer, ctx: McpContext, wrap: Wrap): void {
  const acct = ctx.session.accountId;
  const withVenue =
    <A>(fn: (v: Venue, a: A) => Promise<CallToolResult>) =>
    async (a: A) =>
      ctx.venue ? fn(ctx.venue, a) : failure('NO_VENUE', 'this server runs without a trading venue (readonly mode)');

  server.registerTool(
    'get_balance',
    {
      title: 'Balance',
      description: "Cash, margin in use and equity of this agent's account.",
      inputSchema: strictInput({}),
      outputSchema: z.looseObject({
        currency: z.string(),
        total: z.number(),
        free: z.number(),
        used: z.number(),
        equity: z.number(),
      }),
      annotations: READ,
    },
    wrap(withVenue(async (v) => ok({ ...readableBalance(await v.balance(acct)) }))),
  );
  server.registerTool(
    'get_positions',
    {
      title: 'Positions',
      description: 'Open positions with entry, mark, unrealised P&L, leverage and liquidation price.',
      inputSchema: strictInput({}),
      outputSchema: z.looseObject({ positions: z.array(anyObject) }),
      annotations: READ,
    },
    wrap(withVenue(async (v) => ok({ positions: await readablePositions(ctx.market, await v.positions(acct)) }))),
  );
  server.registerTool(
    'get_open_orders',
    {
      title: 'Open orders',
      description: 'Your resting orders (only orders you placed), optionally for one symbol.',
      inputSchema: strictInput({ symbol: z.string().max(64).optional() }),
      outputSchema: z.looseObject({ orders: z.array(anyObject) }),
      annotations: READ,
    },
    wrap(
      withVenue(async (_v, a: { symbol?: string }) =>
        ok({ orders: [...(await ctx.orders.openOrders(ctx.session, a.symbol))] }),
      ),
    ),
  );
  server.registerTool(
    'get_order_history',
    {
      title: 'Order history',
      description: 'Your past orders (only orders you placed) with their fills, newest first.',
      inputSchema: strictInput({ limit: z.number().int().min(1).max(500).default(50) }),
      outputSchema: z.looseObject({ orders: z.array(anyObject) }),
      annotations: READ,
    },
    wrap(
      withVenue(async (_v, a: { limit: number }) =>
        ok({ orders: [...(await ctx.orders.orderHistory(ctx.session, a.limit))] }),
      ),
    ),
  );
}
