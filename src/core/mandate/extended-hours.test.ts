import { describe, expect, it } from 'vitest';
import { mandate } from '../../../test/fixtures/context.js';
import { parseMandate } from './schema.js';

const withArbiter = (arbiter: Record<string, unknown>) => ({ ...mandate(), arbiter });

describe('the mandate’s arbiter.extended_hours option', () => {
  it('is absent unless written, so existing mandates parse to exactly what they did', () => {
    const load = parseMandate(withArbiter({}));
    expect(load.ok && 'extended_hours' in load.mandate.arbiter).toBe(false);
  });

  it('takes true or false', () => {
    const load = parseMandate(withArbiter({ extended_hours: true }));
    expect(load.ok && load.mandate.arbiter.extended_hours).toBe(true);
  });

  it('refuses anything but a boolean, naming the field', () => {
    const load = parseMandate(withArbiter({ extended_hours: 'yes' }));
    expect(load.ok).toBe(false);
    if (!load.ok) expect(load.message).toMatch(/arbiter\.extended_hours/);
  });
});
