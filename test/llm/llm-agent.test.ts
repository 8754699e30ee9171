import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BuyAndHoldAgent } from '../../src/core/arena/index.js';
import type { ExchangeRecord } from '../../src/services/arena/llm-agent.js';
import { arena } from '../arena/support/fixtures.js';
import { type LlmEmulator, startOpenAiEmulator } from '../support/llm-emulators/index.js';
import { answer, barOf, HOLD, KEY, ledgerOf, llmAgent, trader } from './support.js';

const BARS = { bars: 10, warmup: 120 } as const; // 10 traded bars

describe('an LLM agent in the arena (decide mode)', () => {
  let emu: LlmEmulator;
  beforeEach(async () => {
    emu = await startOpenAiEmulator({ key: KEY, models: ['gpt-4o-mini'] }, trader);
  });
  afterEach(() => emu.close());

  it('sends every decision through the firewall and gets a certificate for it', async () => {
    const exchanges: ExchangeRecord[] = [];
    const a = await arena([llmAgent('gpt', emu.url, exchanges), new BuyAndHoldAgent('buy-hold')], BARS);
    try {
      await a.engine.run();
      const mine = a.engine.traces.filter((t) => t.agent === 'gpt');
      const traded = mine.filter((t) => t.verdict_id !== '');
      expect(traded.map((t) => t.intent)).toEqual([
        { symbol: 'BTC/USDT:USDT', side: 'buy', notional: 1000, leverage: 2 },
        expect.objectContaining({ symbol: 'BTC/USDT:USDT', side: 'sell', reduce_only: true }),
      ]);
      for (const t of traded) expect(['ALLOW', 'ALLOW_CAPPED']).toContain(t.decision);
      const verdicts = (await ledgerOf(a)).filter((r) => r.kind === 'verdict').map((r) => r.ref);
      for (const t of traded) expect(verdicts, `certificate of ${t.verdict_id} in the ledger`).toContain(t.verdict_id);
      expect(mine.find((t) => t.bar === traded[0]!.bar)?.reason).toBe('bar one: go long');
      expect(mine.filter((t) => t.reason === 'nothing to do').length, 'each hold is recorded with its reason').toBe(8);
      expect(exchanges).toHaveLength(10);
      expect(emu.requests.every((r) => r.body?.seed === 7 && r.body?.temperature === 0)).toBe(true);
      expect(a.engine.trades.filter((t) => t.agent === 'gpt').length).toBeGreaterThanOrEqual(2);
    } finally {
      await a.close();
    }
  }, 60_000);

  it('retries a 429 and a 500 with backoff, records every attempt, then trades', async () => {
    emu.answer([{ status: 429 }, { status: 500 }], trader);
    const exchanges: ExchangeRecord[] = [];
    const a = await arena([llmAgent('gpt', emu.url, exchanges)], { bars: 2, warmup: 120 });
    try {
      await a.engine.run();
      const first = exchanges.filter((x) => x.bar === 120);
      expect(first.map((x) => [x.attempt, x.error?.kind ?? 'answer'])).toEqual([
        [0, 'rate_limited'],
        [1, 'server'],
        [2, 'answer'],
      ]);
      expect(a.engine.traces.find((t) => t.bar === 120)?.decision).toMatch(/^ALLOW/);
    } finally {
      await a.close();
    }
  }, 60_000);

  it('gives up after its retries: no trade, the failure recorded', async () => {
    emu.answer(() => ({ status: 503 }));
    const exchanges: ExchangeRecord[] = [];
    const a = await arena([llmAgent('gpt', emu.url, exchanges, { retries: 1 })], { bars: 2, warmup: 120 });
    try {
      await a.engine.run();
      expect(exchanges.filter((x) => x.bar === 120).map((x) => x.error?.kind)).toEqual(['server', 'server']);
      const t = a.engine.traces[0]!;
      expect(t).toMatchObject({ verdict_id: '', decision: 'NONE', reason: 'no trade: the model call failed' });
      expect(t.error).toMatch(/^MODEL_SERVER: /);
    } finally {
      await a.close();
    }
  }, 60_000);

  it('masks the key in a failure a server echoed it into, in the trace and in the recording', async () => {
    emu.answer(() => ({ status: 500, message: `upstream refused the key ${KEY}` }));
    const exchanges: ExchangeRecord[] = [];
    const a = await arena([llmAgent('gpt', emu.url, exchanges, { retries: 0 })], { bars: 2, warmup: 120 });
    try {
      await a.engine.run();
      const written = JSON.stringify([a.engine.traces, exchanges]);
      expect(written).toContain('upstream refused the key [redacted]');
      expect(written).not.toContain(KEY);
    } finally {
      await a.close();
    }
  }, 60_000);

  it('records invalid output (malformed JSON, unknown symbol, size out of range) as no trade with the parse error', async () => {
    emu.answer([
      { text: 'I would buy some bitcoin here.' },
      answer({ action: 'buy', symbol: 'ETH/USDT', size: 10, confidence: 1, reason: 'x' }),
      answer({ action: 'buy', symbol: 'BTC/USDT', size: 1e9, confidence: 1, reason: 'x' }),
      { text: '{"action": "buy", "symbol": "BTC/USDT", "si', finish: 'length' },
    ]);
    const a = await arena([llmAgent('gpt', emu.url, [])], { bars: 4, warmup: 120 });
    try {
      await a.engine.run();
      const errors = a.engine.traces.map((t) => [t.decision, t.error]);
      expect(errors).toEqual([
        ['NONE', expect.stringMatching(/^LLM_INVALID_OUTPUT: malformed JSON/)],
        [
          'NONE',
          expect.stringMatching(/^LLM_INVALID_OUTPUT: unknown symbol "ETH\/USDT": accepted BTC\/USDT, BTC\/USDT:USDT/),
        ],
        ['NONE', expect.stringMatching(/^LLM_INVALID_OUTPUT: size 1000000000 out of range/)],
        ['NONE', expect.stringMatching(/^LLM_INVALID_OUTPUT: malformed JSON.*\(the answer was cut at max_tokens\)$/)],
      ]);
      expect(
        (await ledgerOf(a)).filter((r) => r.kind === 'verdict'),
        'nothing reached the firewall',
      ).toEqual([]);
    } finally {
      await a.close();
    }
  }, 60_000);

  it('misses its deadline without stalling the others: no trade, recorded; the fast agent trades', async () => {
    const slow = await startOpenAiEmulator({ key: KEY, models: ['gpt-4o-mini'] }, () => ({
      delayMs: 120_000,
      reply: HOLD,
    }));
    try {
      const a = await arena([llmAgent('slow', slow.url, [], { deadline_ms: 500 }), llmAgent('fast', emu.url, [])], {
        bars: 2,
        warmup: 120,
      });
      try {
        await a.engine.run();
        const s = a.engine.traces.find((t) => t.agent === 'slow')!;
        expect(s).toMatchObject({ decision: 'NONE', reason: 'no trade: the model missed its deadline' });
        expect(s.error).toMatch(/^MODEL_TIMEOUT: /);
        expect(a.engine.traces.find((t) => t.agent === 'fast')?.decision).toMatch(/^ALLOW/);
      } finally {
        await a.close();
      }
    } finally {
      await slow.close();
    }
  }, 60_000);

  it('checks its budget before each call: a spent budget is no trade, recorded, and no call', async () => {
    const a = await arena([llmAgent('gpt', emu.url, [], { budget: { calls: 2 } })], { bars: 5, warmup: 120 });
    try {
      await a.engine.run();
      expect(emu.requests).toHaveLength(2);
      const spent = a.engine.traces.filter((t) => t.error === 'BUDGET_SPENT: calls=2 spent=2');
      expect(spent.map((t) => t.bar)).toEqual([122, 123, 124]);
      expect(spent[0]?.reason).toBe('no trade: the model budget is spent');
    } finally {
      await a.close();
    }
  }, 60_000);

  it('keeps a per-day budget by the UTC day of the bars: one call a day, the rest of the day no trade, recorded', async () => {
    const a = await arena([llmAgent('gpt', emu.url, [], { budget: { per_day: { calls: 1 } } })], {
      bars: 30,
      warmup: 120,
    });
    try {
      await a.engine.run();
      const traces = a.engine.traces.filter((t) => t.agent === 'gpt');
      const dayOf = (ts: number) => new Date(ts).toISOString().slice(0, 10);
      const days = [...new Set(traces.map((t) => dayOf(t.ts)))];
      expect(days.length, '30 hourly bars cross a UTC midnight').toBeGreaterThan(1);
      expect(emu.requests, 'one call on each day').toHaveLength(days.length);
      for (const day of days) {
        const [first, ...rest] = traces.filter((t) => dayOf(t.ts) === day);
        expect(first?.error ?? null, `the first bar of ${day} asks its model`).toBeNull();
        for (const t of rest) expect(t.error).toBe(`BUDGET_SPENT: day=${day} calls=1 spent=1`);
      }
    } finally {
      await a.close();
    }
  }, 60_000);

  it('lets the agents of one bar decide concurrently, never more at once than the limit', async () => {
    emu.answer(() => ({ delayMs: 300, reply: HOLD }));
    const ids = ['a1', 'a2', 'a3', 'a4', 'a5'];
    const limited = await arena(
      ids.map((id) => llmAgent(id, emu.url, [])),
      { bars: 2, warmup: 120, concurrency: 2 },
    );
    try {
      await limited.engine.run();
      expect(emu.maxInFlight).toBeLessThanOrEqual(2);
      expect(emu.requests).toHaveLength(10);
    } finally {
      await limited.close();
    }
    emu.maxInFlight = 0;
    const open = await arena(
      ids.map((id) => llmAgent(id, emu.url, [])),
      { bars: 2, warmup: 120, concurrency: 5 },
    );
    try {
      await open.engine.run();
      expect(emu.maxInFlight, 'several calls were in flight together').toBeGreaterThan(1);
    } finally {
      await open.close();
    }
  }, 60_000);

  it('builds the same prompt for every model on the same bar and account', async () => {
    const other = await startOpenAiEmulator({ key: KEY, models: ['gpt-4o-mini'] }, () => HOLD);
    try {
      emu.answer(() => HOLD);
      const a = await arena([llmAgent('one', emu.url, []), llmAgent('two', other.url, [])], { bars: 3, warmup: 120 });
      try {
        await a.engine.run();
        expect(emu.requests.map((r) => r.body?.messages)).toEqual(other.requests.map((r) => r.body?.messages));
        expect(emu.requests.map((r) => barOf(r.body))).toEqual([1, 2, 3]);
      } finally {
        await a.close();
      }
    } finally {
      await other.close();
    }
  }, 60_000);
});
