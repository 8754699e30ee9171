import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeHasher } from '../../src/adapters/crypto/node-signer.js';
import { loadSigner } from '../../src/adapters/runtime/keys.js';
import { RuntimeLayout } from '../../src/adapters/runtime/layout.js';
import { base64url, buildPayload, canonicalJson, utf8 } from '../../src/core/cert/certificate.js';
import { evaluate } from '../../src/core/firewall/engine.js';
import type { Instrument } from '../../src/core/market/types.js';
import { ctx, mandate } from '../fixtures/context.js';
import { cli, tempHome } from '../support/cli.js';

/** A tokenized stock on a venue whose configured hours include no weekday: closed whatever the time of the test. */
const CLOSED: Instrument = {
  symbol: 'AAPLON/USDT',
  base: 'AAPLON',
  quote: 'USDT',
  kind: 'spot',
  instrumentType: 'equity',
  assetClass: 'us_equity',
  tickSize: 0.01,
  stepSize: 0.001,
  minQty: 0.001,
  minNotional: 1,
  maxLeverage: 1,
  calendar: { kind: 'venue', tz: 'America/New_York', days: [], open: '09:30', close: '16:00' },
};

describe('arbiter verify --rederive on a MARKET_CLOSED certificate (the built CLI)', () => {
  let home: string;
  let sign: (payload: object) => string;
  let payload: ReturnType<typeof buildPayload>;

  beforeAll(() => {
    home = tempHome('arbiter-sessions-');
    expect(cli(home, ['mandate', 'init']).code).toBe(0);
    const signer = loadSigner(new RuntimeLayout(home));
    const now = Date.now();
    const c = ctx({
      now,
      instrument: CLOSED,
      quote: { symbol: CLOSED.symbol, bid: 190, ask: 190.05, ts: now - 100 },
      m: mandate((m) => ({
        ...m,
        consent: { ...m.consent, expires_at: new Date(now + 86_400_000).toISOString() },
        hard_caps: { ...m.hard_caps, allowed_instruments: ['crypto', 'equity'] },
        universe: { ...m.universe, asset_classes: ['crypto', 'us_equity'] },
        arbiter: { ...m.arbiter, extended_hours: true },
      })),
      account: { synced_at: now - 1_000 },
    });
    const raw = { symbol: CLOSED.symbol, side: 'buy', quantity: 1 };
    const e = evaluate(raw, c);
    expect(e.reasons[0]?.code).toBe('MARKET_CLOSED');
    payload = buildPayload({ id: 'vdt_sessions', keyId: signer.keyId, raw, ctx: c, evaluation: e }, (s) =>
      nodeHasher.sha256Hex(s),
    );
    sign = (p) =>
      JSON.stringify({ alg: 'Ed25519', payload: p, signature: base64url(signer.sign(utf8(canonicalJson(p)))) });
  });

  it('re-derives the refusal from the calendar and the option bound in the certificate', () => {
    const file = join(home, 'closed.json');
    writeFileSync(file, sign(payload));
    const r = cli(home, ['verify', file, '--rederive']);
    expect(r.code, r.out + r.err).toBe(0);
    expect(JSON.parse(r.out).rederived).toBe(true);
  });

  it('catches an ALLOW re-signed over the same closed-market context', () => {
    const file = join(home, 'forged.json');
    writeFileSync(file, sign({ ...payload, decision: 'ALLOW', reasons: [] }));
    const r = cli(home, ['verify', file, '--rederive']);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/REDERIVE|rederive/i);
  });
});
