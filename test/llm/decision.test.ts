import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AccountView, Observation } from '../../src/core/arena/types.js';
import { budgetSpent, costOf, dayOf, decisionIntent, NO_SPEND, parseDecision } from '../../src/core/llm/index.js';

const bounds = { symbols: ['BTC/USDT', 'BTC/USDT:USDT'], equity: 10_000 };

/** Just enough of an observation for turning a decision into an intent. */
function obs(spot = 0, perp = 0): Observation {
  const account = { position: (s: string) => (s === 'spot' ? spot : perp) } as unknown as AccountView;
  return { spot: { symbol: 'BTC/USDT' }, perp: { symbol: 'BTC/USDT:USDT' }, account } as unknown as Observation;
}

const buy = {
  action: 'buy',
  symbol: 'BTC/USDT:USDT',
  size: 2000,
  leverage: 2,
  take_profit: 50_000,
  stop_loss: 40_000,
  invalidation: 'close below 40k',
  confidence: 0.7,
  reason: 'trend up',
};

describe('a model decision', () => {
  it('is read from bare JSON, a ```json fence, or text around one object', () => {
    const j = JSON.stringify(buy);
    for (const text of [j, `\`\`\`json\n${j}\n\`\`\``, `Here is my decision: ${j} Good luck.`]) {
      const r = parseDecision(text, bounds);
      expect(r.ok, text).toBe(true);
    }
  });

  it.each([
    ['not JSON at all', 'I think we should buy', /malformed JSON/],
    ['cut JSON', '{"action": "buy", "symbol": "BTC/', /malformed JSON/],
    ['an unknown action', JSON.stringify({ ...buy, action: 'yolo' }), /action: /],
    ['a missing confidence', JSON.stringify({ ...buy, confidence: undefined }), /confidence: /],
    ['confidence above 1', JSON.stringify({ ...buy, confidence: 3 }), /confidence: /],
    ['a buy without a size', JSON.stringify({ ...buy, size: undefined }), /size: required for buy/],
    [
      'an unknown symbol',
      JSON.stringify({ ...buy, symbol: 'DOGE/USDT' }),
      /unknown symbol "DOGE\/USDT": accepted BTC\/USDT, BTC\/USDT:USDT/,
    ],
    ['a negative size', JSON.stringify({ ...buy, size: -5 }), /size -5 out of range/],
    [
      'a size beyond equity × leverage',
      JSON.stringify({ ...buy, size: 20_001 }),
      /size 20001 out of range: accepted 0 < size <= equity × leverage = 20000/,
    ],
    ['leverage 50', JSON.stringify({ ...buy, leverage: 50 }), /leverage: /],
  ])('refuses %s, naming what was wrong', (_, text, message) => {
    const r = parseDecision(text, bounds);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });

  it('turns a buy on the perpetual into a notional order with its leverage, a hold into no order', () => {
    const r = parseDecision(JSON.stringify(buy), bounds);
    expect(r.ok && decisionIntent(r.value, obs())).toEqual({
      symbol: 'BTC/USDT:USDT',
      side: 'buy',
      notional: 2000,
      leverage: 2,
    });
    const hold = parseDecision('{"action":"hold","confidence":0.5,"reason":"wait"}', bounds);
    expect(hold.ok && decisionIntent(hold.value, obs())).toBe(null);
  });

  it('closes exactly the position held, reduce-only; a close with nothing held is no order', () => {
    const close = parseDecision('{"action":"close","symbol":"BTC/USDT:USDT","confidence":1,"reason":"stop"}', bounds);
    expect(close.ok).toBe(true);
    if (!close.ok) return;
    expect(decisionIntent(close.value, obs(0, -0.25))).toEqual({
      symbol: 'BTC/USDT:USDT',
      side: 'buy',
      quantity: 0.25,
      reduce_only: true,
    });
    expect(decisionIntent(close.value, obs(0, 0))).toBe(null);
  });

  it('never asks for more than equity × leverage, whatever the model writes (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          action: fc.constantFrom('buy', 'sell', 'hold', 'close', 'short'),
          symbol: fc.constantFrom('BTC/USDT', 'BTC/USDT:USDT', 'ETH/USDT'),
          size: fc.oneof(fc.double(), fc.integer()),
          leverage: fc.oneof(fc.double({ min: -5, max: 20 }), fc.constant(undefined)),
          confidence: fc.double({ min: -1, max: 2 }),
          reason: fc.string(),
        }),
        fc.double({ min: 0, max: 1e7, noNaN: true }),
        (d, equity) => {
          const r = parseDecision(JSON.stringify(d), { ...bounds, equity });
          if (!r.ok) return;
          const intent = decisionIntent(r.value, obs(1, 1));
          if (intent?.notional !== undefined) {
            expect(intent.notional).toBeGreaterThan(0);
            expect(intent.notional).toBeLessThanOrEqual(equity * (r.value.leverage ?? 1));
          }
        },
      ),
    );
  });

  it('never throws on arbitrary text (property)', () => {
    fc.assert(fc.property(fc.string(), (s) => typeof parseDecision(s, bounds).ok === 'boolean'));
  });
});

describe('model budgets and cost', () => {
  it('prices input and output tokens per million', () => {
    expect(
      costOf({ input_tokens: 1_000_000, output_tokens: 500_000 }, { input_per_million: 3, output_per_million: 15 }),
    ).toBe(10.5);
    expect(costOf({ input_tokens: 10, output_tokens: 10 }, null)).toBe(0);
  });

  it('says which limit is reached, before the call that would pass it', () => {
    const spend = { calls: 3, input_tokens: 900, output_tokens: 100, usd: 0.5 };
    expect(budgetSpent({ calls: 3 }, spend)).toBe('BUDGET_SPENT: calls=3 spent=3');
    expect(budgetSpent({ calls: 4, tokens: 1000 }, spend)).toBe('BUDGET_SPENT: tokens=1000 spent=1000');
    expect(budgetSpent({ usd: 0.5 }, spend)).toBe('BUDGET_SPENT: usd=0.5 spent=0.5');
    expect(budgetSpent({ calls: 4, tokens: 1001, usd: 1 }, spend)).toBe(null);
    const today = { day: '2026-12-02', spend };
    expect(budgetSpent({ per_day: { usd: 0.5 } }, NO_SPEND, today)).toBe(
      'BUDGET_SPENT: day=2026-12-02 usd=0.5 spent=0.5',
    );
    expect(budgetSpent({ calls: 3, per_day: { usd: 0.5 } }, spend, today), 'the run limit first').toBe(
      'BUDGET_SPENT: calls=3 spent=3',
    );
    expect(dayOf(today, Date.parse('2026-12-02T23:59:59Z'))).toBe(today);
    expect(dayOf(today, Date.parse('2026-12-03T00:00:00Z'))).toEqual({ day: '2026-12-03', spend: NO_SPEND });
  });

  it('never lets spending pass a limit by more than one call (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50 }),
        fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 100 }),
        (limit, calls) => {
          let spend = { calls: 0, input_tokens: 0, output_tokens: 0, usd: 0 };
          for (const t of calls) {
            if (budgetSpent({ calls: limit }, spend)) break;
            spend = { ...spend, calls: spend.calls + 1, input_tokens: spend.input_tokens + t };
          }
          expect(spend.calls).toBeLessThanOrEqual(limit);
        },
      ),
    );
  });
});
