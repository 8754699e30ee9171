import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { VetResult } from '../../services/firewall-service.js';
import { OrderServiceError } from '../../services/order-service.js';
import type { SessionCertificates } from './certificates.js';
import type { McpContext } from './context.js';
import { resolveSymbol } from './market-tools.js';
import { failure, ok, verdictResult } from './results.js';
import {
  anyObject,
  includeCertificateShape,
  orderShape,
  orderSymbol,
  reasonShape,
  strictInput,
  symbolShape,
  verdictOutput,
} from './schemas.js';

type Wrap = <A>(fn: (args: A) => Promise<CallToolResult>) => (args: A) => Promise<CallToolResult>;

function writeHints(idempotent: boolean, live: boolean) {
  return { readOnlyHint: false, destructiveHint: true, idempotentHint: idempotent, openWorldHint: live } as const;
}

async function guard(fn: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof OrderServiceError) return failure(e.code, e.message);
    throw e;
  }
}

/**
 * Where the client is a human's UI and the operator enabled it, a PENDING_APPROVAL is put to the human through
 * MCP elicitation. The agent cannot answer this itself through any tool.
 */
async function askHuman(server: McpServer, ctx: McpContext, r: VetResult): Promise<VetResult> {
  if (!ctx.elicitApprovals || !r.approvalId || !server.server.getClientCapabilities()?.elicitation) return r;
  const p = r.certificate.payload;
  const answer = await server.server
    .elicitInput({
      message: `Arbiter: approve ${JSON.stringify(p.intent)} for agent ${p.agent_id} (≈ $${(p.effective?.notional ?? 0).toFixed(2)})?`,
      requestedSchema: {
        type: 'object',
        properties: { approve: { type: 'boolean', title: 'Approve this order' } },
        required: ['approve'],
      },
    })
    .catch(() => null);
  if (answer?.action !== 'accept') return r;
  const decision =
    answer.content?.approve === true
      ? await ctx.approvals.approve(r.approvalId, 'human:mcp-elicitation')
      : await ctx.approvals.reject(r.approvalId, 'human:mcp-elicitation');
  return decision.ok && decision.result ? decision.result : r;
}

export const PLACE_ORDER_DESCRIPTION =
  'Vets the order with the firewall and, if allowed, sends it sized at the effective quantity. Returns the verdict (decision, effective size, reason codes) with the order result, and its signed certificate by id, sha256 and expiry: the certificate is the resource arbiter://certificates/{verdict_id}, or inline with include_certificate: true. Denials are isError results with reason codes. Reusing a client_order_id returns the original verdict and order (never a second order).';

/** Trading tools, by name. Every one goes through the firewall; the account and agent come from the session. */
export function registerTradingTools(
  server: McpServer,
  ctx: McpContext,
  wrap: Wrap,
  certs: SessionCertificates,
): ReadonlyMap<string, RegisteredTool> {
  const live = ctx.mode === 'live';
  const tools = new Map<string, RegisteredTool>();
  tools.set(
    'place_order',
    server.registerTool(
      'place_order',
      {
        title: 'Place an order',
        description: PLACE_ORDER_DESCRIPTION,
        inputSchema: strictInput({ ...orderShape, ...reasonShape, ...includeCertificateShape }),
        outputSchema: verdictOutput,
        annotations: writeHints(false, live),
      },
      wrap(async ({ include_certificate, market_id, outcome, symbol, reason, ...rest }) =>
        guard(async () => {
          const s = orderSymbol({ symbol, market_id, outcome });
          if ('error' in s) return failure('INVALID_ARGUMENT', s.error);
          const intent = { symbol: s.symbol, ...rest };
          return verdictResult(
            await askHuman(server, ctx, await ctx.orders.place(ctx.session, intent, 'mcp.place_order', reason)),
            certs,
            { includeCertificate: include_certificate === true },
          );
        }),
      ),
    ),
  );
  tools.set(
    'amend_order',
    server.registerTool(
      'amend_order',
      {
        title: 'Amend an order',
        description:
          "Changes the quantity (the order's new total, above what has filled) and/or the limit price of an open order. Vetted as the order it becomes, like a new order: a quantity or price that is 0, negative or too large (INTENT_MALFORMED naming the field), below the venue minimum, outside the collar or past a cap is refused before anything reaches the venue.",
        inputSchema: strictInput({
          order_id: z.string().min(1).max(128),
          quantity: z.number().optional(),
          limit_price: z.number().optional(),
          ...includeCertificateShape,
        }),
        outputSchema: verdictOutput,
        annotations: writeHints(false, live),
      },
      wrap((a: { order_id: string; quantity?: number; limit_price?: number; include_certificate?: boolean }) =>
        guard(async () => {
          if (a.quantity === undefined && a.limit_price === undefined)
            return failure('INVALID_ARGUMENT', 'give quantity and/or limit_price');
          const r = await ctx.orders.amend(ctx.session, a.order_id, {
            ...(a.quantity !== undefined ? { quantity: a.quantity } : {}),
            ...(a.limit_price !== undefined ? { limit_price: a.limit_price } : {}),
          });
          return verdictResult(r.verdict, certs, {
            extra: r.order ? { amended_order: r.order } : { amended: false },
            includeCertificate: a.include_certificate === true,
          });
        }),
      ),
    ),
  );
  tools.set(
    'cancel_order',
    server.registerTool(
      'cancel_order',
      {
        title: 'Cancel an order',
        description:
          'Cancels one open order (by order id or client order id). Cancelling never adds risk: it stays available while trading is halted.',
        inputSchema: strictInput({ order_id: z.string().min(1).max(128) }),
        outputSchema: z.looseObject({ order: anyObject }),
        annotations: writeHints(true, live),
      },
      wrap((a: { order_id: string }) =>
        guard(async () => ok({ order: await ctx.orders.cancel(ctx.session, a.order_id) })),
      ),
    ),
  );
  tools.set(
    'cancel_all_orders',
    server.registerTool(
      'cancel_all_orders',
      {
        title: 'Cancel all orders',
        description:
          'Cancels every open order, optionally for one symbol. Never blocked: it stays available while trading is halted.',
        inputSchema: strictInput({ symbol: z.string().max(64).optional() }),
        outputSchema: z.looseObject({ cancelled: z.array(anyObject) }),
        annotations: writeHints(true, live),
      },
      wrap((a: { symbol?: string }) =>
        guard(async () => {
          let sym: string | undefined;
          if (a.symbol) {
            const s = await resolveSymbol(ctx, a.symbol);
            if (typeof s !== 'string') return s;
            sym = s;
          }
          return ok({ cancelled: [...(await ctx.orders.cancelAll(ctx.session, sym))] });
        }),
      ),
    ),
  );
  tools.set(
    'set_leverage',
    server.registerTool(
      'set_leverage',
      {
        title: 'Set leverage',
        description: 'Sets leverage for a perpetual; refused above the mandate or the instrument maximum.',
        inputSchema: strictInput({ ...symbolShape, leverage: z.number() }),
        outputSchema: z.looseObject({ symbol: z.string(), leverage: z.number() }),
        annotations: writeHints(true, live),
      },
      wrap((a: { symbol: string; leverage: number }) =>
        guard(async () => {
          const s = await resolveSymbol(ctx, a.symbol);
          if (typeof s !== 'string') return s;
          const r = await ctx.orders.setLeverage(ctx.session, s, a.leverage);
          return r.ok ? ok({ symbol: s, leverage: a.leverage }) : failure(r.code, r.message);
        }),
      ),
    ),
  );
  tools.set(
    'set_trading_stop',
    server.registerTool(
      'set_trading_stop',
      {
        title: 'Take-profit / stop-loss',
        description: 'Sets (or clears with null) the take-profit and stop-loss prices of an open position.',
        inputSchema: strictInput({
          ...symbolShape,
          take_profit: z.number().positive().nullable().optional(),
          stop_loss: z.number().positive().nullable().optional(),
        }),
        outputSchema: z.looseObject({ symbol: z.string() }),
        annotations: writeHints(true, live),
      },
      wrap((a: { symbol: string; take_profit?: number | null; stop_loss?: number | null }) =>
        guard(async () => {
          const s = await resolveSymbol(ctx, a.symbol);
          if (typeof s !== 'string') return s;
          const stops = {
            ...(a.take_profit !== undefined ? { takeProfit: a.take_profit } : {}),
            ...(a.stop_loss !== undefined ? { stopLoss: a.stop_loss } : {}),
          };
          return ok({ ...(await ctx.orders.setTradingStop(ctx.session, s, stops)) });
        }),
      ),
    ),
  );
  tools.set(
    'close_position',
    server.registerTool(
      'close_position',
      {
        title: 'Close a position',
        description:
          'Closes the whole position with a reduce-only market order for exactly the quantity held (dust below the venue minimum included), vetted like any order. A reduction passes a halt: it stays available while trading is halted.',
        inputSchema: strictInput({ ...symbolShape, ...includeCertificateShape }),
        outputSchema: verdictOutput,
        annotations: writeHints(false, live),
      },
      wrap((a: { symbol: string; include_certificate?: boolean }) =>
        guard(async () => {
          const s = await resolveSymbol(ctx, a.symbol);
          if (typeof s !== 'string') return s;
          return verdictResult(await ctx.orders.closePosition(ctx.session, s), certs, {
            includeCertificate: a.include_certificate === true,
          });
        }),
      ),
    ),
  );
  return tools;
}
