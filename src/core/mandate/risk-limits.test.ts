import { describe, expect, it } from 'vitest';
import { mandate } from '../../../test/fixtures/context.js';
import { parseMandate } from './schema.js';

const withArbiter = (arbiter: Record<string, unknown>) => ({ ...mandate(), arbiter });

describe('the mandate’s arbiter.risk block', () => {
  it('is absent unless written, so existing mandates parse to exactly what they did', () => {
    const load = parseMandate(withArbiter({}));
    expect(load.ok && 'risk' in load.mandate.arbiter).toBe(false);
  });

  it('fills the defaults: 1h bars, 250 returns, VaR at 99 % over one bar', () => {
    const load = parseMandate(withArbiter({ risk: { max_var: { max_loss_pct: 2 } } }));
    expect(load.ok).toBe(true);
    if (!load.ok) return;
    expect(load.mandate.arbiter.risk).toEqual({
      timeframe: '1h',
      lookback: 250,
      max_var: { measure: 'var', confidence: 0.99, horizon_periods: 1, max_loss_pct: 2 },
    });
  });

  it('refuses unknown keys and out-of-range values, naming the field', () => {
    const unknown = parseMandate(withArbiter({ risk: { max_corelation: 0.7 } }));
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.message).toMatch(/arbiter\.risk/);
    const confidence = parseMandate(withArbiter({ risk: { max_var: { max_loss_pct: 2, confidence: 95 } } }));
    expect(confidence.ok).toBe(false);
    if (!confidence.ok) expect(confidence.message).toMatch(/arbiter\.risk\.max_var\.confidence/);
    const corr = parseMandate(withArbiter({ risk: { max_correlation: 1.5 } }));
    expect(corr.ok).toBe(false);
    if (!corr.ok) expect(corr.message).toMatch(/arbiter\.risk\.max_correlation/);
  });
});
