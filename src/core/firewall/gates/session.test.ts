import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BTC_SPOT, ctx, mandate } from '../../../../test/fixtures/context.js';
import { NodeSigner, nodeEd25519Verify, nodeHasher } from '../../../adapters/crypto/node-signer.js';
import { base64url, buildPayload, canonicalJson, utf8 } from '../../cert/certificate.js';
import { verifyCertificate } from '../../cert/verify.js';
import type { Mandate } from '../../mandate/types.js';
import { sessionAt } from '../../market/calendar/session.js';
import type { Instrument } from '../../market/types.js';
import { evaluate } from '../engine.js';
import type { EvaluationContext } from '../types.js';

const AAPL: Instrument = {
  symbol: 'AAPL/USD',
  base: 'AAPL',
  quote: 'USD',
  kind: 'spot',
  instrumentType: 'equity',
  assetClass: 'us_equity',
  tickSize: 0.01,
  stepSize: 1,
  minQty: 1,
  minNotional: 1,
  maxLeverage: 1,
  calendar: { kind: 'us_equity' },
};

/** A tokenized stock on a venue that trades it Monday to Friday, 08:00–24:00 Singapore time. */
const AAPL_TOKEN: Instrument = {
  ...AAPL,
  symbol: 'AAPLON/USDT',
  base: 'AAPLON',
  quote: 'USDT',
  stepSize: 0.001,
  minQty: 0.001,
  calendar: { kind: 'venue', tz: 'Asia/Singapore', days: [1, 2, 3, 4, 5], open: '08:00', close: '24:00' },
};

const stocks = (extended?: boolean) =>
  mandate(
    (m): Mandate => ({
      ...m,
      hard_caps: { ...m.hard_caps, allowed_instruments: ['crypto', 'equity'] },
      universe: { ...m.universe, asset_classes: ['crypto', 'us_equity'] },
      arbiter: { ...m.arbiter, ...(extended === undefined ? {} : { extended_hours: extended }) },
    }),
  );

function stockCtx(iso: string, p: { inst?: Instrument; extended?: boolean; qty?: number } = {}): EvaluationContext {
  const now = Date.parse(iso);
  const inst = p.inst ?? AAPL;
  return ctx({
    now,
    instrument: inst,
    quote: { symbol: inst.symbol, bid: 190, ask: 190.05, ts: now - 100 },
    m: stocks(p.extended),
    account: { synced_at: now - 1_000, position: { qty: p.qty ?? 0, avg_price: 180, pending_reduce_qty: 0 } },
  });
}

const buy = (symbol = 'AAPL/USD') => ({ symbol, side: 'buy', quantity: 1 });
const sell = (symbol = 'AAPL/USD') => ({ symbol, side: 'sell', quantity: 1 });

type Row = [name: string, intent: unknown, context: EvaluationContext, decision: string, code?: string];

const table: Row[] = [
  ['allows a buy in the regular session (Tuesday 10:00 New York)', buy(), stockCtx('2024-03-12T14:00:00Z'), 'ALLOW'],
  [
    'refuses a buy in the pre-market without the extended-hours option',
    buy(),
    stockCtx('2024-03-12T12:00:00Z'),
    'REJECT',
    'MARKET_CLOSED',
  ],
  [
    'refuses it when the option is false',
    buy(),
    stockCtx('2024-03-12T12:00:00Z', { extended: false }),
    'REJECT',
    'MARKET_CLOSED',
  ],
  [
    'allows a pre-market buy when the mandate allows extended hours',
    buy(),
    stockCtx('2024-03-12T12:00:00Z', { extended: true }),
    'ALLOW',
  ],
  [
    'allows an after-hours buy (18:00) with extended hours',
    buy(),
    stockCtx('2024-03-12T22:00:00Z', { extended: true }),
    'ALLOW',
  ],
  [
    'refuses a buy at 21:00 New York even with extended hours',
    buy(),
    stockCtx('2024-03-13T01:00:00Z', { extended: true }),
    'REJECT',
    'MARKET_CLOSED',
  ],
  [
    'refuses a buy on a Saturday even with extended hours',
    buy(),
    stockCtx('2024-03-16T15:00:00Z', { extended: true }),
    'REJECT',
    'MARKET_CLOSED',
  ],
  ['refuses a buy on Good Friday', buy(), stockCtx('2024-03-29T15:00:00Z'), 'REJECT', 'MARKET_CLOSED'],
  ['refuses a buy on Thanksgiving', buy(), stockCtx('2024-11-28T15:00:00Z'), 'REJECT', 'MARKET_CLOSED'],
  [
    'refuses a buy after the 13:00 early close of the day after Thanksgiving',
    buy(),
    stockCtx('2024-11-29T18:30:00Z'),
    'REJECT',
    'MARKET_CLOSED',
  ],
  ['allows a buy before that early close', buy(), stockCtx('2024-11-29T17:30:00Z'), 'ALLOW'],
  [
    'refuses a genuine reduction while the market is closed: nothing would fill',
    sell(),
    stockCtx('2024-03-16T15:00:00Z', { qty: 5 }),
    'REJECT',
    'MARKET_CLOSED',
  ],
  ['allows that reduction in the session', sell(), stockCtx('2024-03-12T15:00:00Z', { qty: 5 }), 'ALLOW'],
  [
    "allows a tokenized stock inside the venue's own hours (Friday 09:00 Singapore)",
    buy('AAPLON/USDT'),
    stockCtx('2024-03-08T01:00:00Z', { inst: AAPL_TOKEN }),
    'ALLOW',
  ],
  [
    "refuses a tokenized stock outside the venue's hours (Saturday in Singapore)",
    buy('AAPLON/USDT'),
    stockCtx('2024-03-09T01:00:00Z', { inst: AAPL_TOKEN }),
    'REJECT',
    'MARKET_CLOSED',
  ],
  [
    "names the closed market, not the stale quote it leaves behind (Friday's close, asked on Saturday)",
    buy(),
    {
      ...stockCtx('2024-03-16T15:00:00Z'),
      quote: { symbol: 'AAPL/USD', bid: 190, ask: 190.05, ts: Date.parse('2024-03-15T20:59:00Z') },
    },
    'REJECT',
    'MARKET_CLOSED',
  ],
  [
    'names the closed market when a holiday leaves no quote at all',
    buy(),
    { ...stockCtx('2024-12-25T15:00:00Z'), quote: null },
    'REJECT',
    'MARKET_CLOSED',
  ],
  [
    'leaves an unknown instrument to the reference-price step',
    buy(),
    { ...stockCtx('2024-12-25T15:00:00Z'), instrument: null },
    'REJECT',
    'INSTRUMENT_UNKNOWN',
  ],
];

describe('the session-rules step of gate 4', () => {
  it.each(table)('%s', (_name, intent, c, decision, code) => {
    const e = evaluate(intent, c);
    expect(e.decision, e.reasons.map((r) => r.message).join('; ')).toBe(decision);
    if (code) expect(e.reasons[0]?.code).toBe(code);
    else expect(e.reasons).toEqual([]);
  });

  it('names the session, the option and the next regular open in the reason', () => {
    // Friday 28 March 2024 after the close; Good Friday and a weekend follow.
    const e = evaluate(buy(), stockCtx('2024-03-28T21:30:00Z'));
    expect(e.reasons[0]?.message).toBe(
      'MARKET_CLOSED: symbol=AAPL/USD session=extended date=2024-03-28 extended_hours=false next_open=2024-04-01T13:30:00.000Z',
    );
    expect(e.gates.find((g) => g.gate === 'reference_price')?.code).toBe('MARKET_CLOSED');
  });

  it('leaves crypto exactly as it was: a Saturday BTC buy gives the same evaluation as without calendars', () => {
    const saturday = Date.parse('2024-03-16T15:00:00Z');
    const plain = ctx({ now: saturday, quote: { symbol: 'BTC/USDT', bid: 60_000, ask: 60_010, ts: saturday - 100 } });
    const always = { ...plain, instrument: { ...BTC_SPOT, calendar: { kind: 'always' as const } } };
    const raw = { symbol: 'BTC/USDT', side: 'buy', notional: 50 };
    expect(evaluate(raw, plain).decision).toBe('ALLOW');
    expect(evaluate(raw, always)).toEqual(evaluate(raw, plain));
  });

  it('binds the calendar and the option in the certificate: re-derivation reaches the same refusal', async () => {
    const signer = new NodeSigner(NodeSigner.generatePem());
    const c = stockCtx('2024-03-16T15:00:00Z', { extended: true });
    const e = evaluate(buy(), c);
    const payload = buildPayload({ id: 'vdt_s', keyId: signer.keyId, raw: buy(), ctx: c, evaluation: e }, (s) =>
      nodeHasher.sha256Hex(s),
    );
    const cert = { alg: 'Ed25519' as const, payload, signature: base64url(signer.sign(utf8(canonicalJson(payload)))) };
    const pinned = { keyId: signer.keyId, publicKey: signer.publicKey };
    const ok = await verifyCertificate(cert, pinned, nodeEd25519Verify, { now: c.now, rederive: true });
    expect(ok.status, ok.message).toBe('valid');
    // A forger who re-signs an ALLOW over the same bound context is caught by re-derivation.
    const forged = { ...payload, decision: 'ALLOW' as const, reasons: [] };
    const resigned = { ...cert, payload: forged, signature: base64url(signer.sign(utf8(canonicalJson(forged)))) };
    const bad = await verifyCertificate(resigned, pinned, nodeEd25519Verify, { now: c.now, rederive: true });
    expect(bad.status).toBe('rederive_mismatch');
  });

  it('allows a stock order exactly when the calendar is in session, or in extended hours with the option (property)', () => {
    const from = Date.parse('2020-01-01T00:00:00Z');
    fc.assert(
      fc.property(
        // Up to the fixture mandate's consent expiry (2026-06-01).
        fc.integer({ min: 0, max: 6 * 365 * 24 * 60 }),
        fc.boolean(),
        fc.boolean(),
        (minutes, extended, reduce) => {
          const iso = new Date(from + minutes * 60_000).toISOString();
          const c = stockCtx(iso, { extended, qty: reduce ? 5 : 0 });
          const e = evaluate(reduce ? sell() : buy(), c);
          const phase = sessionAt({ kind: 'us_equity' }, c.now).phase;
          const open = phase === 'regular' || (phase === 'extended' && extended);
          expect(e.decision === 'ALLOW', `${iso} ${phase} extended=${extended}`).toBe(open);
          if (!open) expect(e.reasons[0]?.code).toBe('MARKET_CLOSED');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never changes the evaluation of an instrument that trades always (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.parse('2020-01-01'), max: Date.parse('2030-01-01') }), (now) => {
        const plain = ctx({ now, quote: { symbol: 'BTC/USDT', bid: 60_000, ask: 60_010, ts: now - 100 } });
        const always = { ...plain, instrument: { ...BTC_SPOT, calendar: { kind: 'always' as const } } };
        const raw = { symbol: 'BTC/USDT', side: 'buy', notional: 50 };
        expect(evaluate(raw, always)).toEqual(evaluate(raw, plain));
      }),
      { numRuns: 200 },
    );
  });
});
