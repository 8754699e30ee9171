import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ModelError, type ModelFailureKind, RETRIED } from '../../src/core/llm/errors.js';
import type { ModelAnswer, ModelProvider } from '../../src/ports/model.js';
import { type AgentTiming, type ExchangeRecord, LlmAgent } from '../../src/services/arena/llm-agent.js';
import { arena } from '../arena/support/fixtures.js';

/** A model whose answers are scripted (the arena, firewall and store are the real ones). */
class ScriptedModel implements ModelProvider {
  readonly kind = 'scripted';
  calls = 0;
  constructor(private readonly outcomes: readonly Outcome[]) {}
  async complete(): Promise<ModelAnswer> {
    const o = this.outcomes[this.calls++ % this.outcomes.length]!;
    if ('fail' in o) throw new ModelError(o.fail, 'scripted', o.fail === 'rate_limited' ? 429 : null);
    return { text: o.text, finish: 'stop', usage: { input_tokens: 100, output_tokens: 20 }, model: 'm' };
  }
}

type Outcome = { readonly text: string } | { readonly fail: ModelFailureKind };

const NO_WAIT: AgentTiming = { deadline: () => new AbortController().signal, sleep: async () => {}, now: () => 0 };

const decision = fc.record({
  action: fc.constantFrom('buy', 'sell', 'hold', 'close', 'flip'),
  symbol: fc.constantFrom('BTC/USDT', 'BTC/USDT:USDT', 'ETH/USDT'),
  size: fc.oneof(fc.integer({ min: -10, max: 50_000 }), fc.double({ noNaN: true })),
  leverage: fc.integer({ min: 0, max: 12 }),
  confidence: fc.double({ min: -0.5, max: 1.5, noNaN: true }),
  reason: fc.string({ minLength: 0, maxLength: 20 }),
});

const outcome: fc.Arbitrary<Outcome> = fc.oneof(
  decision.map((d) => ({ text: JSON.stringify(d) })),
  fc.string().map((text) => ({ text })),
  fc
    .constantFrom<ModelFailureKind>('rate_limited', 'server', 'connection', 'timeout', 'malformed', 'auth', 'refused')
    .map((fail) => ({ fail })),
);

describe('an LLM agent, whatever its model answers (property)', () => {
  it('decides once per bar, retries only what is retried, never passes its call budget, and counts every call', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(outcome, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 3 }),
        fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }),
        async (outcomes, retries, calls) => {
          const model = new ScriptedModel(outcomes);
          const exchanges: ExchangeRecord[] = [];
          const agent = new LlmAgent(
            {
              id: 'llm',
              provider: 'scripted',
              base_url: 'http://127.0.0.1:9/v1',
              model: 'm',
              max_tokens: 100,
              deadline_ms: 1_000,
              retries,
              backoff_ms: 1,
              budget: calls === undefined ? {} : { calls },
              price: { input_per_million: 1, output_per_million: 2 },
            },
            model,
            (r) => exchanges.push(r),
            NO_WAIT,
          );
          const a = await arena([agent], { bars: 6, warmup: 60, checkpointEvery: 0 });
          try {
            await a.engine.run();
            const bars = a.engine.traces.map((t) => t.bar);
            expect(bars, 'one trace per bar').toEqual([60, 61, 62, 63, 64, 65]);
            expect(agent.spent.calls, 'every call counted').toBe(model.calls);
            expect(exchanges).toHaveLength(model.calls);
            if (calls !== undefined) expect(model.calls).toBeLessThanOrEqual(calls);
            for (let bar = 60; bar < 66; bar++) {
              const tries = exchanges.filter((x) => x.bar === bar);
              expect(tries.length).toBeLessThanOrEqual(retries + 1);
              tries.slice(0, -1).forEach((x) => {
                expect(
                  x.error && RETRIED.has(x.error.kind as ModelFailureKind),
                  'only a retried failure is retried',
                ).toBe(true);
              });
            }
            for (const t of a.engine.traces.filter((t) => t.verdict_id !== '')) {
              expect(t.intent).toMatchObject({ symbol: expect.stringMatching(/^BTC\/USDT(:USDT)?$/) });
            }
          } finally {
            await a.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);
});
