import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskJsonText, REDACTED, redact, redactedJson } from './redact.js';

describe('redaction', () => {
  it.each([
    ['api_key'],
    ['apiKey'],
    ['api-key'],
    ['API_SECRET'],
    ['secretKey'],
    ['password'],
    ['passphrase'],
    ['access_token'],
    ['refreshToken'],
    ['Authorization'],
    ['account_number'],
    ['accountNumber'],
    ['account-number'],
    ['private_key'],
  ])('redacts the value of %s', (key) => {
    expect(redact({ [key]: 'value-123456' })).toEqual({ [key]: REDACTED });
  });

  it("masks bearer, sk- and JWT-shaped strings inside other values (with Vibe-Trading's sentinel)", () => {
    expect(REDACTED).toBe('[redacted]');
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
    const out = redact({ note: `sent Bearer abcdefgh12345678 with sk-live_abcdefghijkl and ${jwt}` }) as {
      note: string;
    };
    expect(out.note).not.toContain('abcdefgh12345678');
    expect(out.note).not.toContain('sk-live');
    expect(out.note).not.toContain('eyJ');
  });

  it('walks nested arrays and objects and keeps ordinary fields', () => {
    const out = redact({ symbol: 'BTC/USDT', legs: [{ 'X-Api-Key': 'k', side: 'buy' }], account_ref: 'acct-ref' });
    expect(out).toEqual({
      symbol: 'BTC/USDT',
      legs: [{ 'X-Api-Key': REDACTED, side: 'buy' }],
      account_ref: 'acct-ref',
    });
  });

  it.each([
    ['session_token'],
    ['id_token'],
    ['csrfToken'],
    ['oauth-token'],
    ['account_id'],
    ['accountId'],
    ['account_number'],
    ['ssn'],
    ['routing_number'],
    ['tax_id'],
    ['headers'],
    ['env'],
    ['content'],
  ])('hides %s as Vibe-Trading does, whatever the value (null too)', (key) => {
    expect(redact({ [key]: 'value-123456', n: null })).toEqual({ [key]: REDACTED, n: null });
    expect(redact({ [key]: null })).toEqual({ [key]: REDACTED });
  });

  it.each([
    ['client order id password=hunter2', 'password=hunter2', 'hunter2'],
    ['api_key: in text', 'failed: api_key: abc123 rejected', 'abc123'],
    ['a quoted JSON pair', '{"token": "t0k3n-value"}', 't0k3n-value'],
    ['short Bearer x', 'Authorization: Bearer x', 'Bearer x'],
    ['an AWS key id', 'key AKIAABCDEFGHIJKLMNOP here', 'AKIAABCDEFGHIJKLMNOP'],
    ['a GitHub token', `ghp_${'a'.repeat(36)}`, 'a'.repeat(36)],
    ['URL credentials', 'https://user:pw@host/x', 'user:pw'],
    ['a short sk- key (Arbiter)', 'sk-abcdefgh', 'abcdefgh'],
    ['an agent token (Arbiter)', `arb_agent_${'x'.repeat(20)}`, 'x'.repeat(20)],
  ])('hides secrets inside text: %s', (_, text, secret) => {
    expect((redact({ note: text }) as { note: string }).note).not.toContain(secret);
  });

  it('keeps token counts Vibe-Trading keeps, and hides what is not a count', () => {
    expect(redact({ total_input_tokens: 12, token_usage: { input: 3, key: 'x', note: 'y' } })).toEqual({
      total_input_tokens: 12,
      token_usage: { input: 3, key: REDACTED, note: REDACTED },
    });
    expect(redact({ total_input_tokens: 'sk-live' })).toEqual({ total_input_tokens: REDACTED });
  });

  it('is idempotent: redacting twice gives what redacting once gives', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const once = redact({ s }) as { s: string };
        expect(redact(once)).toEqual(once);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('redactedJson', () => {
  const twoSteps = (v: unknown) => {
    try {
      return { ok: true, text: JSON.stringify(redact(v)) };
    } catch (e) {
      return { ok: false, error: String(e) };
    }
  };
  const oneWalk = (v: unknown) => {
    try {
      return { ok: true, text: redactedJson(v) };
    } catch (e) {
      return { ok: false, error: String(e) };
    }
  };
  const secretish = fc.oneof(
    fc.string(),
    fc.constantFrom(
      'Bearer abcdefgh12345678',
      'sk-live_abcdefghijkl',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      `arb_agent_${'x'.repeat(20)}`,
      '',
      'ok',
      '\ud800 lone',
      'quote " and \\ and \n',
    ),
  );
  const key = fc.oneof(
    fc.string(),
    fc.constantFrom(
      'api_key',
      'apiKey',
      'password',
      'token',
      'signature',
      'Authorization',
      'note',
      'toJSON',
      '0',
      '10',
    ),
  );
  const { tree } = fc.letrec((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      secretish,
      fc.double(),
      fc.integer(),
      fc.boolean(),
      fc.constantFrom(null, undefined, -0, Number.NaN, Number.POSITIVE_INFINITY),
      fc.array(tie('tree'), { maxLength: 4 }),
      fc.sparseArray(tie('tree'), { maxLength: 4 }),
      fc.dictionary(key, tie('tree'), { maxKeys: 4 }),
    ),
  }));
  /** A value nested `n` deep (objects and arrays alternating), to cross the depth limit. */
  const deep = fc.tuple(fc.integer({ min: 8, max: 16 }), tree).map(([n, leaf]) => {
    let v: unknown = leaf;
    for (let i = 0; i < n; i++) {
      if (i % 2 === 0) v = { nested: v, password: 'p' };
      else {
        const a: unknown[] = [v, undefined];
        a[3] = 'sk-abcdefghijk'; // a[2] is a hole
        v = a;
      }
    }
    return v;
  });

  it('writes exactly what JSON.stringify(redact(value)) writes', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          tree,
          deep,
          fc.anything({
            withBigInt: true,
            withBoxedValues: true,
            withDate: true,
            withMap: true,
            withSet: true,
            withTypedArray: true,
            withSparseArray: true,
            withNullPrototype: true,
            withObjectString: true,
          }),
        ),
        (v) => {
          expect(oneWalk(v)).toEqual(twoSteps(v));
        },
      ),
      { numRuns: 3_000 },
    );
  });

  it('hands toJSON functions, __proto__ keys and BigInts to the two steps', () => {
    const odd = [
      { a: 1, toJSON: () => 'x' },
      JSON.parse('{"__proto__": {"b": 2}, "c": 3}'),
      { n: 10n },
      { d: new Date(0), when: [new Date(1)] },
    ];
    for (const v of odd) expect(oneWalk(v)).toEqual(twoSteps(v));
  });

  it('keeps the audit record of a forwarded order byte for byte', () => {
    const record = {
      audit_id: 'aud_sk-abcdefghijkl.200',
      ts: '2024-01-09T08:00:00.000Z',
      kind: 'order_intent',
      intent_normalized: {
        symbol: 'BTC/USDT',
        side: 'buy',
        notional: 9800,
        client_order_id: 'Bearer abcdefgh12345678',
      },
      broker_request: { accountId: 'arena:x', api_key: 'k', quantity: 0.2, limitPrice: null, leverage: undefined },
      broker_response: { orderId: 'o1', fills: [{ price: 1.5, quantity: 2, fee: 0.001 }] },
      gate_decision: { reasons: [], gates: ['mandate:pass'] },
      error: null,
    };
    expect(redactedJson(record)).toBe(JSON.stringify(redact(record)));
  });
});

describe('maskJsonText', () => {
  it('masks credentials inside strings only, keeping the JSON valid and untouched values as they were', () => {
    const text = JSON.stringify({ token: true, api_key: 3, note: 'Bearer abcdefgh12345678 then', n: [1, 'ok'] });
    const out = maskJsonText(text);
    const parsed = JSON.parse(out);
    expect(parsed.token).toBe(true);
    expect(parsed.api_key).toBe(3);
    expect(parsed.note).not.toContain('abcdefgh12345678');
    expect(parsed.n).toEqual([1, 'ok']);
  });

  it('returns the same bytes when nothing needs masking, even with credential-like key names', () => {
    const text = '{"key_id":"ed25519:abc","token":true,"\\u00e9":"x"}';
    expect(maskJsonText(text)).toBe(text);
  });
});
