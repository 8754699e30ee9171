import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ModelDecision } from '../../src/core/llm/index.js';
import { type Proposal, vote } from '../../src/core/llm/index.js';

const decision: fc.Arbitrary<ModelDecision> = fc.record({
  action: fc.constantFrom('buy', 'sell', 'hold', 'close') as fc.Arbitrary<ModelDecision['action']>,
  symbol: fc.constantFrom('BTC/USDT', 'BTC/USDT:USDT'),
  size: fc.double({ min: 1, max: 10_000, noNaN: true }),
  confidence: fc.double({ min: 0, max: 1, noNaN: true }),
  reason: fc.string({ minLength: 1, maxLength: 20 }),
});

const proposals = fc.array(fc.record({ persona: fc.string({ minLength: 1, maxLength: 5 }), decision }), {
  maxLength: 7,
}) as fc.Arbitrary<Proposal[]>;

const ballot = (d: ModelDecision) => (d.action === 'hold' ? 'hold' : `${d.action} ${d.symbol}`);

describe('a persona vote', () => {
  it('trades only what a strict plurality proposed, exactly as one of them proposed it', () => {
    fc.assert(
      fc.property(proposals, (ps) => {
        const r = vote(ps);
        const tally = new Map<string, number>();
        for (const p of ps) tally.set(ballot(p.decision), (tally.get(ballot(p.decision)) ?? 0) + 1);
        const top = Math.max(0, ...tally.values());
        const leaders = [...tally].filter(([, n]) => n === top);
        if (leaders.length !== 1) {
          expect(r.kind).toBe('no-majority');
          return;
        }
        expect(r.kind).toBe('decided');
        if (r.kind !== 'decided') return;
        expect(ballot(r.decision)).toBe(leaders[0]![0]);
        expect(r.votes).toBe(top);
        const source = ps.find((p) => ballot(p.decision) === leaders[0]![0])!.decision;
        expect({ ...r.decision, reason: source.reason }).toEqual(source);
      }),
      { numRuns: 500 },
    );
  });
});
