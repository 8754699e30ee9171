import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redact, redactedJson } from '../../src/core/audit/redact.js';
import { python } from './support/python.js';

/** Each secret carries a unique marker, so one can tell in any output whether it was hidden. */
const marker = fc.nat({ max: 1e9 }).map((n) => `mk${n.toString(36)}zz`);
const upper = (m: string) => m.toUpperCase().replace(/[^A-Z0-9]/g, 'Q');
const secretText = fc.tuple(
  marker,
  fc.constantFrom(
    (m: string) => `password=${m}`,
    (m: string) => `failed api_key: ${m} (401)`,
    (m: string) => `{"token": "${m}"}`,
    (m: string) => `session_token=${m}`,
    (m: string) => `Authorization: Bearer ${m}`,
    (m: string) => `bearer ${m}`,
    (m: string) => `https://user:${m}@host/path`,
    (m: string) => `AKIA${upper(m).padEnd(16, 'X').slice(0, 16)}`,
    (m: string) => `ghp_${m.padEnd(36, 'a')}`,
    (m: string) => `sk-${m.padEnd(24, 'b')}`,
    (m: string) => `sk-${m}`,
    (m: string) => `eyJ${m}aaaaaa.${m}bbbbbb.${m}cc`,
    (m: string) => `client_secret = '${m}'`,
    (m: string) => `nothing secret about ${m}`,
    (m: string) => m,
  ),
);
const key = fc.constantFrom(
  'note',
  'message',
  'symbol',
  'password',
  'api_key',
  'apiKey',
  'X-Api-Key',
  'session_token',
  'csrfToken',
  'oauth-token',
  'account_id',
  'accountNumber',
  'account_ref',
  'ssn',
  'routing_number',
  'tax_id',
  'headers',
  'env',
  'content',
  'signature',
  'cookie',
  'total_input_tokens',
  'token_usage',
  'clob_token_id',
);
const leaf = secretText.map(([m, f]) => ({ m, v: f(m) }));
const payload = fc
  .array(fc.tuple(key, fc.oneof(leaf, fc.array(leaf, { maxLength: 2 }), fc.record({ inner: leaf }))), {
    minLength: 1,
    maxLength: 6,
  })
  .map((entries) => {
    const markers: string[] = [];
    const obj: Record<string, unknown> = {};
    const unwrap = (x: unknown): unknown => {
      if (Array.isArray(x)) return x.map(unwrap);
      const l = x as { m?: string; v?: string; inner?: unknown };
      if (l.inner !== undefined) return { inner: unwrap(l.inner) };
      markers.push(l.m!);
      return l.v;
    };
    for (const [k, v] of entries) obj[k] = unwrap(v);
    return { obj, markers };
  });

describe('redaction is the union of Arbiter and Vibe-Trading rules', () => {
  it('hides every secret Vibe-Trading hides (its redact_payload, in a Python process), by key and inside text', () => {
    const cases = fc.sample(payload, { numRuns: 600, seed: 11 });
    const vt = python<unknown[]>(
      'vibe_trading.py',
      ['/nonexistent', 'redact'],
      cases.map((c) => c.obj),
    );
    const leaks: { marker: string; vt: unknown; arbiter: unknown }[] = [];
    cases.forEach((c, i) => {
      const vtText = JSON.stringify(vt[i]);
      const ours = redactedJson(c.obj) ?? '';
      for (const m of c.markers)
        if (!vtText.includes(m) && ours.includes(m)) leaks.push({ marker: m, vt: vt[i], arbiter: ours });
    });
    expect(leaks.slice(0, 3), 'a secret Vibe-Trading hides must not reach Arbiter’s audit text').toEqual([]);
    const hiddenByVt = cases.filter((c, i) => c.markers.some((m) => !JSON.stringify(vt[i]).includes(m))).length;
    expect(hiddenByVt, 'the sample must exercise Vibe-Trading’s rules').toBeGreaterThan(300);
  });

  it('a client order id "password=hunter2" never reaches the audit text in clear', () => {
    const text = redactedJson({ broker_request: { clientOrderId: 'password=hunter2', symbol: 'BTC/USDT' } });
    expect(text).not.toContain('hunter2');
    expect(JSON.stringify(redact({ coid: 'password=hunter2' }))).not.toContain('hunter2');
  });
});
