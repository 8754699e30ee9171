import { readFileSync, rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { RuntimeLayout } from '../../src/adapters/runtime/layout.js';
import { TradeCounterFiles } from '../../src/adapters/runtime/trade-counter.js';
import { cli, tempHome } from '../support/cli.js';
import { python, startPython } from './support/python.js';

const homes: string[] = [];
afterAll(() => {
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});
function home(): string {
  const h = tempHome('arbiter-interop-counter-');
  homes.push(h);
  return h;
}
const today = () => new Date().toISOString().slice(0, 10);
const vt = (h: string, ...args: string[]) => python('vibe_trading.py', [h, ...args]);

describe("Vibe-Trading's trade_counter.json, read and written by both programs", () => {
  it('Arbiter reads the count Vibe-Trading wrote, and Vibe-Trading reads (and increments) what Arbiter wrote', () => {
    const h = home();
    const layout = new RuntimeLayout(h);
    const counter = new TradeCounterFiles(layout);
    vt(h, 'increment', 'robinhood', 'act-1');
    vt(h, 'increment', 'robinhood', 'act-2');
    expect(counter.read('robinhood', today())).toBe(2);
    counter.write('robinhood', today(), 3);
    expect(vt(h, 'read-count', 'robinhood')).toBe(3);
    expect(vt(h, 'increment', 'robinhood', 'act-1'), 'its action ids survive an Arbiter write (idempotent retry)').toBe(
      3,
    );
    expect(vt(h, 'increment', 'robinhood', 'act-3')).toBe(4);
    expect(counter.read('robinhood', today())).toBe(4);
    expect(readFileSync(layout.tradeCounter('robinhood'), 'utf8')).toBe(
      `{"date": "${today()}", "count": 4, "action_ids": ["act-1", "act-2", "act-3"]}\n`,
    );
  });

  it('a count of another UTC day reads as 0 on both sides', () => {
    const h = home();
    const counter = new TradeCounterFiles(new RuntimeLayout(h));
    counter.write('paper', '2020-01-01', 7);
    expect(counter.read('paper', today())).toBe(0);
    expect(vt(h, 'read-count', 'paper')).toBe(0);
  });
});

describe('the order-submission lock is one lock for both programs (live/<broker>/.order_submit.lock, flock)', () => {
  it('while Arbiter holds it, a Vibe-Trading order fails closed', async () => {
    const h = home();
    const counter = new TradeCounterFiles(new RuntimeLayout(h));
    vt(h, 'increment', 'paper'); // the broker folder exists
    const r = await counter.withOrderLock('paper', async () => {
      const child = startPython('vibe_trading.py', [h, 'hold-lock', 'paper', '0']);
      return child.exited;
    });
    expect(r.locked).toBe(true);
    if (r.locked) {
      expect(r.value.code, 'the Python process could not take the lock').not.toBe(0);
      expect(r.value.err).toContain('another order submission is already in progress');
    }
  });

  it('while Vibe-Trading holds it, Arbiter waits, and runs only once it is released', async () => {
    const h = home();
    const counter = new TradeCounterFiles(new RuntimeLayout(h), { lockWaitMs: 30_000 });
    const holder = startPython('vibe_trading.py', [h, 'hold-lock', 'paper', '1.5']);
    await holder.ready;
    const r = await counter.withOrderLock('paper', async () => holder.child.exitCode);
    expect(r.locked).toBe(true);
    if (r.locked) expect(holder.output(), 'Vibe-Trading had released the lock first').toContain('released');
  });

  it('when Vibe-Trading holds it longer than Arbiter waits, Arbiter does not run the order', async () => {
    const h = home();
    const counter = new TradeCounterFiles(new RuntimeLayout(h), { lockWaitMs: 200 });
    const holder = startPython('vibe_trading.py', [h, 'hold-lock', 'paper', '5']);
    await holder.ready;
    let ran = false;
    const r = await counter.withOrderLock('paper', async () => {
      ran = true;
    });
    expect(r.locked).toBe(false);
    expect(ran).toBe(false);
    holder.child.kill();
    await holder.exited;
  });
});

describe('one daily cap across both programs', () => {
  it('cap 2 with one used: a slow Vibe-Trading order and an Arbiter order do not both pass; the count ends at 2', async () => {
    const h = home();
    python('vibe_trading.py', [h, 'commit-mandate', 'paper'], {
      hard_caps: {
        account_funding_usd: 10_000.0,
        max_order_notional_usd: 500.0,
        max_total_exposure_usd: 5_000.0,
        max_leverage: 1.0,
        allowed_instruments: ['crypto'],
        max_trades_per_day: 2,
      },
      universe: {
        asset_classes: ['crypto'],
        min_market_cap_usd: null,
        min_avg_daily_volume_usd: null,
        exclude_symbols: [],
      },
    });
    vt(h, 'increment', 'paper');
    // Vibe-Trading's gate: lock → count (1) → check → a broker call that takes 3 s → count 2 → unlock.
    const slow = startPython('vibe_trading.py', [h, 'order', 'paper', '--hold', '3']);
    slow.child.stdin.end(
      JSON.stringify({ symbol: 'BTC-USDT', side: 'buy', notional_usd: 50, instrument_type: 'crypto' }),
    );
    await new Promise<void>((resolve) => {
      const check = () => (slow.output().includes('submitting') ? resolve() : setTimeout(check, 20));
      check();
    });
    const arbiter = cli(h, [
      'vet',
      '--execute',
      '--agent',
      'alice',
      '--symbol',
      'BTC/USDT',
      '--side',
      'buy',
      '--notional',
      '50',
    ]);
    const done = await slow.exited;
    const vtResult = JSON.parse(done.out.trim().split('\n').at(-1)!) as { decision: string; count: number };
    const verdict = JSON.parse(arbiter.out) as { decision: string; reasons: string[] };
    expect(vtResult.decision, 'the Vibe-Trading order was allowed (it held the lock first)').toBe('allow');
    expect(verdict.decision, `Arbiter must not pass too: ${arbiter.out}`).toBe('PAUSE_FOR_REAUTH');
    expect(verdict.reasons).toEqual(['DAILY_TRADE_LIMIT']);
    expect(vt(h, 'read-count', 'paper'), 'the count never exceeds the cap').toBe(2);
  });

  it('an Arbiter order sent under the lock is counted where Vibe-Trading reads it', () => {
    const h = home();
    expect(cli(h, ['mandate', 'init']).code).toBe(0);
    const r = cli(h, [
      'vet',
      '--execute',
      '--agent',
      'bob',
      '--symbol',
      'BTC/USDT',
      '--side',
      'buy',
      '--notional',
      '50',
    ]);
    expect(JSON.parse(r.out).decision).toBe('ALLOW');
    expect(vt(h, 'read-count', 'paper')).toBe(1);
  });
});
