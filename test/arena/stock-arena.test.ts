import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempHome } from '../support/cli.js';
import { differences } from './support/files.js';
import { arena, tempDir } from './support/fixtures.js';

/**
 * The arena on replayed daily stock candles (data/ttrc.csv: one real US stock's daily bars), driven as a user would:
 * the built CLI, one installation (one issuer key) for every run.
 */

const TTRC = join(import.meta.dirname, '..', '..', 'data', 'ttrc.csv');
/** 2004-11-15 onwards: Thanksgiving (Thu 25 Nov), Christmas observed (Fri 24 Dec), MLK, Presidents' Day, Good Friday. */
const WINDOW = `stock:${TTRC}@2004-11-15`;
const AGENTS = 'buy-hold,random,momentum-20,bollinger-20-2,funding-carry-1bp';
/**
 * The exchange's published closures on weekdays in the window (NYSE holiday calendars 2004–2005), written here from
 * the exchange's lists rather than computed by the code under test.
 */
const NYSE_CLOSED = new Set(['2004-11-25', '2004-12-24', '2005-01-17', '2005-02-21', '2005-03-25']);

function run(home: string, out: string, seed: number, extra: string[] = []) {
  const r = cli(home, [
    'arena',
    'run',
    '--source',
    WINDOW,
    '--warmup',
    '60',
    '--bars',
    '120',
    '--agents',
    AGENTS,
    '--seed',
    String(seed),
    '--bootstrap',
    '200',
    '--partitions',
    '8',
    '--quiet',
    '--out',
    out,
    ...extra,
  ]);
  expect(r.code, r.err).toBe(0);
  return r;
}

const jsonl = <T>(path: string): T[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);

/** The New York wall clock of an instant: date, ISO weekday and minutes after midnight. */
function newYork(ms: number): { date: string; weekday: number; minute: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: 'America/New_York',
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
    })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday!) + 1;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday,
    minute: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

interface Trace {
  agent: string;
  bar: number;
  ts: number;
  intent: { symbol: string } | null;
  decision: string;
  reasons: string[];
}
interface Trade {
  agent: string;
  ts: number;
  symbol: string;
}

describe('arena run on replayed stock candles (stock:data/ttrc.csv@DATE)', () => {
  const home = tempHome();
  const [a, b, c] = [tempDir(), tempDir(), tempDir()];

  it('is byte-identical for a seed, and another seed changes only what the random agents do', () => {
    run(home, a, 7);
    run(home, b, 7);
    run(home, c, 8);
    expect(differences(a, b), 'files that differ between two runs with seed 7').toEqual([]);
    const headOf = (d: string) => (JSON.parse(readFileSync(join(d, 'run.json'), 'utf8')) as { ledger: unknown }).ledger;
    expect(headOf(a)).toEqual(headOf(b));
    const decisions = (d: string, random: boolean) =>
      jsonl<Trace>(join(d, 'decisions.jsonl'))
        .filter((t) => t.agent.startsWith('random-') === random)
        .map((t) => `${t.agent} ${t.bar} ${JSON.stringify(t.intent)}`);
    expect(decisions(a, true), 'the random agents flip on other sessions under another seed').not.toEqual(
      decisions(c, true),
    );
    expect(decisions(a, true).length, 'the random agents traded at all').toBeGreaterThan(0);
    expect(decisions(a, false), 'the rule-based agents decide the same on the same candles').toEqual(
      decisions(c, false),
    );
  }, 180_000);

  it('sends every order at a regular session open, never on a weekend or an exchange holiday, spot only', () => {
    const traces = jsonl<Trace>(join(a, 'decisions.jsonl'));
    const trades = jsonl<Trade>(join(a, 'trades.jsonl'));
    expect(trades.length, 'the agents traded').toBeGreaterThan(0);
    for (const t of [...traces, ...trades]) {
      const ny = newYork(t.ts);
      expect(ny.weekday, `${t.agent} at ${new Date(t.ts).toISOString()}: a weekday`).toBeLessThanOrEqual(5);
      expect(NYSE_CLOSED.has(ny.date), `${t.agent} on ${ny.date}: an exchange holiday`).toBe(false);
      expect(ny.minute, `${t.agent} at ${new Date(t.ts).toISOString()}: at the 09:30 open`).toBe(570);
    }
    for (const t of traces) {
      expect(t.intent?.symbol ?? 'TTRC/USD', 'no perpetual on a stock').toBe('TTRC/USD');
      expect(t.reasons, `${t.agent} bar ${t.bar}`).not.toContain('MARKET_CLOSED');
    }
    for (const t of trades) expect(t.symbol).toBe('TTRC/USD');
    const carry = traces.filter((t) => t.agent.startsWith('funding-carry'));
    expect(carry, 'funding carry has no funding to carry on a stock').toEqual([]);
  });

  it('names the calendar and every gap it crossed, weekends and holidays, in run.json and report.html', () => {
    const r = JSON.parse(readFileSync(join(a, 'run.json'), 'utf8')) as {
      sessions: {
        calendar: string;
        exchange: string;
        sessions: number;
        early_closes: string[];
        gaps: { after: string; before: string; closed: { date: string; why: string }[] }[];
      };
      data: { symbols: string[]; first_ts: string };
    };
    expect(r.data.symbols).toEqual(['TTRC/USD']);
    expect(r.data.first_ts).toBe('2004-11-15T14:30:00.000Z');
    expect(r.sessions.calendar).toBe('us_equity');
    expect(r.sessions.exchange).toBe('NYSE');
    expect(r.sessions.sessions).toBe(120);
    expect(r.sessions.gaps).toContainEqual({
      after: '2004-11-24',
      before: '2004-11-26',
      closed: [{ date: '2004-11-25', why: 'holiday' }],
    });
    expect(r.sessions.gaps).toContainEqual({
      after: '2004-11-26',
      before: '2004-11-29',
      closed: [
        { date: '2004-11-27', why: 'weekend' },
        { date: '2004-11-28', why: 'weekend' },
      ],
    });
    const holidays = r.sessions.gaps.flatMap((g) => g.closed.filter((d) => d.why === 'holiday').map((d) => d.date));
    expect(holidays).toEqual([...NYSE_CLOSED]);
    expect(r.sessions.early_closes).toContain('2004-11-26');
    const board = JSON.parse(readFileSync(join(a, 'leaderboard.json'), 'utf8')) as { periods_per_year: number };
    expect(board.periods_per_year, 'returns annualised over NYSE sessions').toBe(252);
    const html = readFileSync(join(a, 'report.html'), 'utf8');
    expect(html).toContain('NYSE');
    expect(html).toContain('2004-11-25 (holiday)');
  });

  it('leaves a run whose certificates verify against the installation key, and a tampered one that does not', () => {
    const ok = cli(home, ['arena', 'verify', a]);
    expect(ok.code, ok.out + ok.err).toBe(0);
    expect(JSON.parse(ok.out).ok).toBe(true);
    const ledger = join(c, 'ledger.jsonl');
    writeFileSync(ledger, readFileSync(ledger, 'utf8').replace('TTRC/USD', 'TTRC/USX'));
    expect(cli(home, ['arena', 'verify', c]).code).toBe(1);
  }, 60_000);

  it('lets an order through at the open after a weekend gap of 10% (Black Monday 1987): the crash breaker ignores the gap', () => {
    const dir = tempDir();
    const agent = join(dir, 'steady.mjs');
    writeFileSync(
      agent,
      "export default { id: 'steady-buyer', decide: (obs) => ({ symbol: obs.spot.symbol, side: 'buy', notional: 100 }) };\n",
    );
    const out = join(dir, 'run');
    const r = cli(home, [
      ...['arena', 'run', '--source', `stock:${TTRC}@1987-10-14`, '--warmup', '30', '--bars', '6'],
      ...[
        '--agents',
        'none',
        '--agent-file',
        agent,
        '--bootstrap',
        '100',
        '--partitions',
        '2',
        '--quiet',
        '--out',
        out,
      ],
    ]);
    expect(r.code, r.err).toBe(0);
    const traces = jsonl<Trace>(join(out, 'decisions.jsonl'));
    const byDate = new Map(traces.map((t) => [newYork(t.ts).date, t]));
    // Friday 16 Oct high 23.93 (the file's prices); Monday 19 Oct opened 9.9% below it, Tuesday 12% below Monday's high.
    for (const day of ['1987-10-19', '1987-10-20'])
      expect(byDate.get(day)?.decision, `${day}: ${JSON.stringify(byDate.get(day)?.reasons)}`).toBe('ALLOW');
    expect([...byDate.keys()]).not.toContain('1987-10-17');
  }, 60_000);
});

describe('the stock arena’s own firewall', () => {
  it('refuses an order while the market is closed (Thanksgiving) with MARKET_CLOSED and the next open', async () => {
    const a = await arena([], { source: WINDOW, warmup: 60, bars: 20 });
    a.parts.clock.set(Date.parse('2004-11-25T15:00:00Z'));
    const r = await a.parts.firewall.vet(
      { symbol: 'TTRC/USD', side: 'buy', notional: 500 },
      { agentId: 'alice', accountId: 'arena:alice', venue: a.parts.venueName, sessionId: 's' },
      { execute: true, remoteTool: 'test' },
    );
    expect(r.certificate.payload.decision).toBe('REJECT');
    expect(r.certificate.payload.reasons.map((x) => x.code)).toEqual(['MARKET_CLOSED']);
    expect(JSON.stringify(r.certificate.payload.reasons)).toContain('next_open=2004-11-26T14:30:00');
    expect(r.order).toBeNull();
    await a.close();
  });
});
