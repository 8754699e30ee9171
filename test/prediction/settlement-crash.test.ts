import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticOutcomeMarketAt } from '../../src/adapters/market-data/prediction-market-data.js';
import { listedPredictionViews } from '../../src/core/prediction/board.js';
import { cli, tempHome } from '../support/cli.js';
import { admitPredictionMarkets, shadowAgent } from '../support/mcp.js';

const DIST = join(import.meta.dirname, '..', '..', 'dist');
const HOUR = 3_600_000;

/**
 * A process that settles the account as the server does (the built paper venue over the home's store, on the
 * server's synthetic market, its clock moved past resolution) and is SIGKILLed by its recorder, i.e. after the
 * payment's stored update committed and before any record of it was written. The kill is real; the recorder that
 * delivers it is this test's, because no outside signal lands deterministically between those two steps.
 */
function killedSettler(home: string, offsetMs: number): Promise<NodeJS.Signals | null> {
  const url = (p: string) => pathToFileURL(join(DIST, p)).href;
  const script = join(home, 'settle-and-die.mjs');
  writeFileSync(
    script,
    `import { nodeHasher } from ${JSON.stringify(url('adapters/crypto/node-signer.js'))};
import { SqliteStore } from ${JSON.stringify(url('adapters/store/sqlite-store.js'))};
import { createSyntheticMarketData } from ${JSON.stringify(url('adapters/market-data/synthetic-market-data.js'))};
import { offsetClock } from ${JSON.stringify(url('adapters/system/clock.js'))};
import { PaperVenue } from ${JSON.stringify(url('adapters/venues/paper/paper-venue.js'))};
import { SYNTHETIC_EPOCH, syntheticOutcomes } from ${JSON.stringify(url('app/market.js'))};
const store = new SqliteStore({ path: ${JSON.stringify(join(home, 'arbiter.db'))}, hasher: nodeHasher });
await store.init();
const clock = offsetClock(${offsetMs});
const market = createSyntheticMarketData({ clock, seed: 7, timeframe: '1h', startTs: SYNTHETIC_EPOCH, warmupBars: 0 });
const venue = new PaperVenue({
  store,
  market,
  outcomes: syntheticOutcomes(clock, async () => {
    process.kill(process.pid, 'SIGKILL');
    await new Promise(() => {});
  }),
});
await venue.balance('main');
process.exit(0);
`,
  );
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => (signal ? resolve(signal) : reject(new Error(`exited ${code}: ${err}`))));
  });
}

function facts(home: string) {
  const db = new Database(join(home, 'arbiter.db'), { readonly: true });
  try {
    const doc = db.prepare("SELECT value FROM docs WHERE ns = 'paper' AND key = 'main'").get() as { value: string };
    const account = JSON.parse(doc.value) as { wallet: number; outcomes?: object; unrecordedSettlements?: unknown[] };
    const ledger = db.prepare("SELECT ref, body FROM ledger WHERE kind = 'prediction_settlement'").all() as {
      ref: string;
      body: string;
    }[];
    const audit = db.prepare("SELECT body FROM audit WHERE kind = 'prediction_settlement'").all();
    const mirror = join(home, 'live', 'audit.jsonl');
    const mirrored = existsSync(mirror)
      ? readFileSync(mirror, 'utf8')
          .split('\n')
          .filter((l) => l.includes('"prediction_settlement"')).length
      : 0;
    return { account, ledger, audit: audit.length, mirrored };
  } finally {
    db.close();
  }
}

describe('a settlement whose process dies between the payment and its records', () => {
  let home: string;
  let market: string;
  let offsetMs: number;
  beforeAll(() => {
    home = tempHome('arbiter-pm-crash-');
    expect(cli(home, ['mandate', 'init']).code).toBe(0);
    admitPredictionMarkets(home);
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('is recorded exactly once after the restart, and paid once', async () => {
    // The open market that resolves first; the shares bought are of the outcome it will resolve to.
    const open = listedPredictionViews(Date.now()).filter((m) => m.status === 'open');
    const first = open.reduce((a, b) => (Date.parse(b.resolves_at) < Date.parse(a.resolves_at) ? b : a));
    market = first.market_id;
    const resolvesAt = Date.parse(first.resolves_at);
    const winner = syntheticOutcomeMarketAt(market, resolvesAt + HOUR)!.market.outcome!;
    const buy = cli(home, [
      'vet',
      ...['--agent', 'alice', '--market', market, '--outcome', winner, '--side', 'buy', '--notional', '20'],
      '--execute',
    ]);
    expect(buy.code, buy.err).toBe(0);
    const bought = facts(home).account;
    const shares = (bought.outcomes as Record<string, { qty: number }>)[`${market}-${winner}/USDC`]!.qty;
    expect(shares).toBeGreaterThan(0);

    offsetMs = resolvesAt + 2 * HOUR - Date.now();
    expect(await killedSettler(home, offsetMs)).toBe('SIGKILL');
    const killed = facts(home);
    // The payment is stored, with the settlement owed in the same document; no record of it exists yet.
    expect(killed.account.wallet).toBeCloseTo(bought.wallet + shares, 6);
    expect(killed.account.outcomes).toEqual({});
    expect(killed.account.unrecordedSettlements).toHaveLength(1);
    expect(killed.ledger).toHaveLength(0);
    expect(killed.audit).toBe(0);

    // Restarted twice, each time reading the account: the owed records are written once, the payment not again.
    for (let run = 0; run < 2; run++) {
      const client = await shadowAgent(home, offsetMs);
      try {
        const r = await client.callTool({ name: 'get_balance', arguments: {} });
        expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
      } finally {
        await client.close();
      }
      const after = facts(home);
      expect(after.ledger, `run ${run} ${JSON.stringify(after.account.unrecordedSettlements)}`).toHaveLength(1);
      expect(after.ledger[0]!.ref).toBe('main');
      expect(JSON.parse(after.ledger[0]!.body)).toMatchObject({
        market_id: market,
        held_outcome: winner,
        resolved_outcome: winner,
        shares,
        payout: shares,
      });
      expect(after.audit, `run ${run}`).toBe(1);
      expect(after.mirrored, `run ${run}`).toBe(1);
      expect(after.account.unrecordedSettlements).toBeUndefined();
      expect(after.account.wallet).toBeCloseTo(killed.account.wallet, 6);
    }
    const verify = cli(home, ['ledger', 'verify']);
    expect(verify.code, `${verify.out}${verify.err}`).toBe(0);
  }, 120_000);
});
