import { describe, expect, it } from 'vitest';
import { Harness } from '../src/app/redteam/harness.js';
import { RISK_SCENARIOS } from '../src/app/redteam/risk-scenarios.js';

describe('red team: portfolio-risk limits', () => {
  it.each(RISK_SCENARIOS.map((s) => [s.id, s] as const))('%s is safe', async (_id, s) => {
    const h = new Harness(s.options);
    try {
      const o = await s.run(h);
      expect(o.unsafe, o.detail).toBe(false);
      expect(o.false_reject, o.detail).toBe(false);
    } finally {
      await h.close();
    }
  });
});

describe('the server’s risk inputs', () => {
  it('refuses new exposure under a Kelly cap, as the server collects no track record yet', async () => {
    const h = new Harness({
      mandate: (m) => ({
        ...m,
        arbiter: {
          ...m.arbiter,
          risk: { timeframe: '1h', lookback: 250, kelly: { multiplier: 0.5, min_periods: 30 } },
        },
      }),
    });
    try {
      const r = await h.vet({ symbol: 'BTC/USDT', side: 'buy', notional: 50 });
      expect(r.certificate.payload.decision).toBe('REJECT');
      expect(r.certificate.payload.reasons[0]!.message).toBe('RISK_DATA_MISSING: missing=track_record');
    } finally {
      await h.close();
    }
  });

  it('binds the book and the aligned returns it judged on in the certificate', async () => {
    const s = RISK_SCENARIOS.find((x) => x.id === 'A58')!;
    const h = new Harness(s.options);
    try {
      await s.run(h);
      const r = await h.vet({ symbol: 'BTC/USDT', side: 'buy', notional: 500 });
      const risk = r.certificate.payload.context.risk!;
      expect(risk.book).toEqual([{ symbol: 'ETH/USDT', notional: 2_000 }]);
      expect(risk.returns['BTC/USDT']).toHaveLength(250);
      expect(risk.returns['ETH/USDT']).toEqual(risk.returns['BTC/USDT']);
      expect((await h.verify(r.certificate, { rederive: true })).ok).toBe(true);
    } finally {
      await h.close();
    }
  });
});

describe('the book under the account lock', () => {
  it('judges an order on the book the store holds when it decides, not on the one read before', async () => {
    const s = RISK_SCENARIOS.find((x) => x.id === 'A60')!;
    const h = new Harness(s.options);
    try {
      await s.run(h);
      // A stale early read (as when another server's order lands between the read and the lock): empty.
      const store = h.store as unknown as { book: () => Promise<never[]> };
      store.book = async () => [];
      const r = await h.vet({ symbol: 'ETH/USDT', side: 'buy', notional: 120 });
      const codes = r.certificate.payload.reasons.map((x) => x.code);
      expect(r.certificate.payload.context.risk?.book.map((p) => p.symbol)).toEqual(['BTC/USDT']);
      expect(r.certificate.payload.decision).not.toMatch(/^ALLOW/);
      expect(codes).toEqual(['RISK_DATA_MISSING']);
    } finally {
      await h.close();
    }
  });
});
