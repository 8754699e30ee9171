import type { Command } from 'commander';
import { type Certificate, verdictSummary } from '../../core/cert/certificate.js';
import type { VetResult } from '../../services/firewall-service.js';
import { OrderService } from '../../services/order-service.js';
import { orderSymbol } from '../../transport/mcp/schemas.js';
import { nameProblem } from '../names.js';
import { CliError, printJson } from '../output.js';
import { withContext } from '../run.js';
import { haltService } from './halt.js';

/** Every number JSON can write (`50`, `-0.5`, `1e2`, `2.5E-3`), and the decimals people type (`.5`, `5.`, `+5`). */
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * CLI text → intent values. Numbers become numbers (a negative or zero size is then the firewall's to refuse, with
 * a signed verdict naming the field); anything else is passed through as text so the firewall refuses it the same
 * way (never a silent coercion).
 */
export function cliNumber(text: string | undefined): number | string | undefined {
  if (text === undefined) return undefined;
  return NUMBER.test(text.trim()) ? Number(text) : text;
}

export function parseQuote(text: string): { bid: number; ask: number } {
  const parts = text.split(',');
  const [bid, ask] = parts.map((p) => Number(p.trim()));
  if (parts.length !== 2 || bid === undefined || ask === undefined || !parts.every((p) => NUMBER.test(p.trim())))
    throw new CliError(
      'BAD_ARGUMENT',
      `--quote takes BID,ASK as two decimal numbers, e.g. --quote 96000,96010; got ${JSON.stringify(text)}`,
    );
  return { bid, ask };
}

/**
 * What `arbiter vet` prints: a readable summary derived entirely from the signed payload, plus the certificate.
 * Nothing unsigned goes in, so `arbiter verify` can rebuild it and notice a change to any byte.
 */
export function verdictEnvelope(cert: Certificate): Record<string, unknown> {
  const p = cert.payload;
  return {
    ...verdictSummary(p),
    gates: p.gates,
    ...(p.approval_id ? { approval_id: p.approval_id } : {}),
    ...(p.dry_run ? { dry_run: true } : {}),
    // Only the three members a certificate has: an extra member added to a saved verdict's certificate is not
    // signed, so it must not survive the rebuild (verify would otherwise accept it byte for byte).
    certificate: { alg: cert.alg, payload: cert.payload, signature: cert.signature },
  };
}

/** What happened after the verdict (replay, venue order): not signed, so reported on stderr. */
export function executionReport(r: VetResult): Record<string, unknown> | null {
  if (!r.replayed && !r.order && !r.orderError && !r.orderState) return null;
  return { replayed: r.replayed, order: r.order, order_state: r.orderState, order_error: r.orderError };
}

export const EXIT_BY_DECISION: Record<string, number> = {
  ALLOW: 0,
  ALLOW_CAPPED: 0,
  REJECT: 3,
  PAUSE_FOR_REAUTH: 4,
  PENDING_APPROVAL: 5,
};

export function registerVet(program: Command): void {
  program
    .command('vet')
    .description(
      'vet an order intent: prints the signed verdict as JSON; a dry run that reserves, counts and records nothing unless --execute (exit 0 allow, 3 reject, 4 pause, 5 pending)',
    )
    .requiredOption('--agent <id>', 'agent the intent is vetted for')
    .option('--symbol <symbol>', 'market, e.g. BTC/USDT or BTC/USDT:USDT (BTCUSDT is accepted)')
    .option('--market <id>', 'a prediction market id (list_markets), with --outcome, instead of --symbol')
    .option('--outcome <outcome>', 'YES or NO: the outcome token of --market to trade')
    .requiredOption('--side <side>', 'buy or sell')
    .option('--notional <usd>', 'order size in USD')
    .option('--quantity <units>', 'order size in base units')
    .option('--limit-price <price>', 'limit price (makes it a limit order)')
    .option('--type <type>', 'market or limit')
    .option('--tif <tif>', 'GTC, IOC, FOK or PO')
    .option('--reduce-only', 'the order may only reduce a position')
    .option('--client-order-id <id>', 'idempotency key')
    .option('--leverage <x>', 'requested leverage')
    .option('--venue <venue>', 'venue adapter that executes (paper, polymarket or a ccxt exchange id)')
    .option(
      '--broker <name>',
      'broker key: the runtime-root folder live/<broker>/ whose mandate applies (default: the venue)',
    )
    .option('--account <id>', 'account the agent trades')
    .option('--quote <bid,ask>', 'override the reference quote (tests)')
    .option('--execute', 'forward an allowed order to the venue (paper by default)')
    .option('--reason <text>', 'with --execute: why the agent trades, recorded in the ledger (order_reason)')
    .action(async (o) => {
      const problem = nameProblem('--agent', o.agent);
      if (problem) throw new CliError('BAD_ARGUMENT', problem);
      const outcome = o.outcome === undefined ? undefined : String(o.outcome).toUpperCase();
      if (outcome !== undefined && outcome !== 'YES' && outcome !== 'NO')
        throw new CliError('BAD_ARGUMENT', `--outcome takes YES or NO; got ${JSON.stringify(o.outcome)}`);
      const named = orderSymbol({ symbol: o.symbol, market_id: o.market, outcome });
      if ('error' in named) throw new CliError('BAD_ARGUMENT', `${named.error} (--symbol, or --market and --outcome)`);
      if (o.reason !== undefined && o.quote !== undefined)
        throw new CliError(
          'BAD_ARGUMENT',
          '--reason is recorded with an order placed at the venue quote, not with --quote',
        );
      if (o.reason !== undefined && !o.execute)
        throw new CliError('BAD_ARGUMENT', '--reason is recorded with an order that is sent: use it with --execute');
      const intent: Record<string, unknown> = { symbol: named.symbol, side: o.side };
      const sizes: [string, string | undefined][] = [
        ['notional', o.notional],
        ['quantity', o.quantity],
        ['limit_price', o.limitPrice],
        ['leverage', o.leverage],
      ];
      for (const [k, v] of sizes) if (v !== undefined) intent[k] = cliNumber(v);
      if (o.type) intent.type = o.type;
      if (o.tif) intent.time_in_force = o.tif;
      if (o.reduceOnly) intent.reduce_only = true;
      if (o.clientOrderId) intent.client_order_id = o.clientOrderId;
      const quote = o.quote ? parseQuote(o.quote) : undefined;
      const code = await withContext({ venue: o.venue, broker: o.broker, account: o.account }, async (app) => {
        // The runtime root's HALT file is the switch: one tripped or cleared since the store last saw it counts now.
        if (o.execute) await haltService(app).sync();
        const session = {
          agentId: o.agent,
          accountId: app.settings.account,
          venue: app.settings.broker,
          sessionId: `cli-${process.pid}`,
        };
        const r =
          o.execute === true && !quote
            ? await new OrderService(app.deps, app.firewall).place(session, intent, 'cli.order', o.reason)
            : await app.firewall.vet(intent, session, {
                execute: o.execute === true,
                remoteTool: o.execute ? 'cli.order' : 'cli.vet',
                ...(quote ? { quote } : {}),
              });
        // A dry run leaves the store as it was: only an order's verdict is checkpointed.
        if (o.execute === true) await app.ledger.checkpoint();
        const report = executionReport(r);
        if (report) process.stderr.write(`${JSON.stringify(report)}\n`);
        printJson(verdictEnvelope(r.certificate));
        return EXIT_BY_DECISION[r.certificate.payload.decision] ?? 1;
      });
      process.exitCode = code;
    });
}
