import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { maskJsonText } from '../../core/audit/redact.js';
import { parseSymbol } from '../../core/market/symbols.js';
import type { Timeframe } from '../../ports/market-data.js';
import { readablePositions } from '../../services/readable.js';
import type { SessionCertificates } from './certificates.js';
import type { McpContext } from './context.js';
import { TIMEFRAMES } from './schemas.js';

/** MCP's code for a resource that does not exist (or is not this agent's). */
const RESOURCE_NOT_FOUND = -32002;

/** A template variable as the client sent it: percent-decoded when it was encoded, as typed otherwise. */
function variable(v: string | string[] | undefined): string {
  const raw = Array.isArray(v) ? v.join(',') : String(v ?? '');
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** A JSON resource; anything credential-shaped in it is masked (no pattern can cross a JSON string). */
const json = (uri: string, data: unknown) => ({
  contents: [{ uri, mimeType: 'application/json', text: maskJsonText(JSON.stringify(data, null, 2)) }],
});

export function registerResources(server: McpServer, ctx: McpContext, certs: SessionCertificates): void {
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
    async (uri) =>
      json(
        uri.href,
        ctx.venue ? await readablePositions(ctx.market, await ctx.venue.positions(ctx.session.accountId)) : [],
      ),
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
    // `{+symbol}` matches across '/', so the symbol is written as an agent types it.
    new ResourceTemplate('arbiter://candles/{+symbol}/{timeframe}', {
      list: async () => ({
        resources: (await ctx.market.instruments()).map((i) => ({
          uri: `arbiter://candles/${i.symbol}/1h`,
          name: `${i.symbol} 1h candles`,
          mimeType: 'application/json',
        })),
      }),
    }),
    {
      title: 'Candles',
      description: `The last 200 closed candles: arbiter://candles/{symbol}/{timeframe}, the symbol as typed (arbiter://candles/BTC/USDT/1h, arbiter://candles/BTC/USDT:USDT/1h), URL-encoded (arbiter://candles/BTC%2FUSDT/1h) or native (arbiter://candles/BTCUSDT/1h); timeframe one of ${TIMEFRAMES.join(', ')}`,
      mimeType: 'application/json',
    },
    async (uri, vars) => {
      const typed = variable(vars.symbol);
      const tf = variable(vars.timeframe);
      if (!(TIMEFRAMES as readonly string[]).includes(tf))
        throw new McpError(
          ErrorCode.InvalidParams,
          `unknown timeframe ${JSON.stringify(tf.slice(0, 16))} in ${uri.href}; accepted: ${TIMEFRAMES.join(', ')}`,
        );
      const sym = parseSymbol(typed);
      const known = (await ctx.market.instruments()).map((i) => i.symbol);
      if (!sym || !known.includes(sym.symbol))
        throw new McpError(
          ErrorCode.InvalidParams,
          `unknown symbol ${JSON.stringify(typed.slice(0, 64))} in ${uri.href}; known: ${known.join(', ')}`,
        );
      return json(uri.href, await ctx.market.candles(sym.symbol, tf as Timeframe, 200));
    },
  );
  server.registerResource(
    'certificate',
    new ResourceTemplate('arbiter://certificates/{id}', { list: undefined }),
    {
      title: 'Verdict certificate',
      description:
        "The full signed certificate of one of this agent's verdicts, exactly as issued (verify it offline against get_issuer_key; its sha256 is the verdict's certificate_sha256). Recorded verdicts of this agent, and this session's dry runs (vet_trade, the last 64). Another agent's verdict is not found.",
      mimeType: 'application/json',
    },
    async (uri, vars) => {
      const id = variable(vars.id);
      const cert = await certs.get(id);
      if (cert === null)
        throw new McpError(
          RESOURCE_NOT_FOUND,
          `VERDICT_NOT_FOUND: id=${id.slice(0, 128)} (no such verdict, not yours, or a dry run of another session)`,
        );
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text: cert }] };
    },
  );
}
