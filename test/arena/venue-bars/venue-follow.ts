import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChainRecord } from '../../../src/core/ledger/chain.js';
import { startEmulator, type VenueEmulator } from '../../emulator/index.js';
import { BIN, tempHome } from '../../support/cli.js';

const MINUTE = 60_000;
const WARMUP = 30;
const BARS = 2;

type Live = ChildProcess & {
  stderrText: () => string;
  exited: Promise<{ code: number | null; signal: string | null; at: number }>;
};

/**
 * `arena live --venue …` on a feed that keeps coming, offline: the built CLI, ccxt against the local Bybit
 * emulator's public 1m candles. The run trades the bars that close after it started (waiting for each), and a
 * killed run picks up at its first unfinished bar without trading a bar twice.
 */
describe.concurrent('arena live on a venue feed that keeps coming', () => {
  let emu: VenueEmulator;
  let home: string;
  beforeAll(async () => {
    emu = await startEmulator('bybit');
    home = tempHome('arbiter-arena-follow-');
  });
  afterAll(async () => {
    await emu.close();
    rmSync(home, { recursive: true, force: true });
  });

  function live(state: string): Live {
    const child = spawn(
      process.execPath,
      [
        BIN,
        ...['arena', 'live', '--venue', 'bybit', '--symbol', 'BTC/USDT:USDT', '--timeframe', '1m'],
        ...['--warmup', String(WARMUP), '--bars', String(BARS), '--agents', 'buy-hold,random', '--no-report'],
        ...['--state', state, '--bootstrap', '100'],
      ],
      {
        env: { ...process.env, ARBITER_HOME: home, ARBITER_VENUE_URL: emu.url, ARBITER_VENUE_MODE: 'live' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let err = '';
    child.stderr!.on('data', (d) => {
      err += String(d);
    });
    const exited = new Promise<{ code: number | null; signal: string | null; at: number }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
    );
    return Object.assign(child, { stderrText: () => err, exited });
  }

  function when(child: Live, text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (child.stderrText().includes(text)) resolve();
      };
      child.stderr!.on('data', check);
      child.on('exit', () => reject(new Error(`exited before "${text}":\n${child.stderrText()}`)));
      check();
    });
  }

  it.sequential('trades bars that close after the start, and a restart resumes without re-trading a bar', async () => {
    const state = join(home, 'live');
    const startedAt = Date.now();
    const first = live(state);
    // The first traded bar closes at the next minute boundary; the second one a minute later.
    await when(first, `1/${BARS} bars`);
    const pin = JSON.parse(readFileSync(join(state, 'live.json'), 'utf8')) as { venue_start: number };
    expect(pin.venue_start, 'the first traded bar is the one in progress at the start').toBe(
      Math.floor(startedAt / MINUTE) * MINUTE,
    );
    first.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const second = live(state);
    const end = await second.exited;
    expect(end.code, second.stderrText()).toBe(0);
    expect(second.stderrText()).toMatch(new RegExp(`resuming at bar 1 of ${BARS}`));
    // The run waited for its last bar to close at the venue before it ended.
    expect(end.at).toBeGreaterThanOrEqual(pin.venue_start + BARS * MINUTE);

    // At most one decision per agent per traded bar across both processes (agents that hold leave none), only
    // on the traded bars, and buy-hold's buy at the first of them.
    const decisions = readFileSync(join(state, 'decisions.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { verdict_id: string; agent: string; bar: number });
    const keys = decisions.map((d) => `${d.agent}@${d.bar}`);
    expect(new Set(keys).size, keys.join(' ')).toBe(keys.length);
    expect(keys).toContain(`buy-hold@${WARMUP}`);
    for (const d of decisions) expect([WARMUP, WARMUP + 1]).toContain(d.bar);
    const records = readFileSync(join(state, 'ledger.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as ChainRecord);
    expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => i + 1));
    const verdicts = records.filter((r) => r.kind === 'verdict').map((r) => r.ref);
    expect(new Set(verdicts).size).toBe(verdicts.length);
    expect(verdicts.sort()).toEqual(decisions.map((d) => d.verdict_id).sort());

    // The traded bars are the two that opened at and after the start, as the venue served them.
    const equity = readFileSync(join(state, 'equity', 'buy-hold.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1);
    expect(equity.map((l) => Number(l.split(',')[1]))[0]).toBe(pin.venue_start);
    const market = readFileSync(join(state, 'market.csv'), 'utf8').trim().split('\n').slice(1);
    const traded = market.map((l) => l.split(',').map(Number)).filter(([ts]) => ts! >= pin.venue_start);
    expect(traded.map(([ts]) => ts)).toEqual([pin.venue_start, pin.venue_start + MINUTE]);
    for (const row of traded) for (const v of row) expect(Number.isFinite(v), `market row ${row}`).toBe(true);
    const run = JSON.parse(readFileSync(join(state, 'run.json'), 'utf8'));
    expect(JSON.stringify(run)).toContain('ccxt:bybit:BTC/USDT:USDT@1m');
  }, 240_000);
});
