import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { RuntimeLayout } from '../../src/adapters/runtime/layout.js';
import { cli, tempHome } from '../support/cli.js';
import { python } from './support/python.js';

/** The 14 fields of Vibe-Trading's LiveActionEvent.to_record(), in its order; Arbiter adds `arbiter` last. */
const VT_FIELDS = [
  'audit_id',
  'ts',
  'session_id',
  'kind',
  'intent_normalized',
  'mandate_snapshot_ref',
  'consent_record_ref',
  'broker_request',
  'broker_response',
  'outcome',
  'gate_decision',
  'server',
  'remote_tool',
  'error',
];

const homes: string[] = [];
afterAll(() => {
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

const lines = (path: string) =>
  existsSync(path)
    ? readFileSync(path, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
    : [];
const order = (home: string, agent: string, notional: string, extra: string[] = []) =>
  cli(home, [
    'vet',
    '--execute',
    '--agent',
    agent,
    '--symbol',
    'BTC/USDT',
    '--side',
    'buy',
    '--notional',
    notional,
    ...extra,
  ]);

describe("live/audit.jsonl and audit_chain.jsonl, written in Vibe-Trading's vocabulary and chained its way", () => {
  const home = tempHome('arbiter-interop-audit-');
  homes.push(home);
  const layout = new RuntimeLayout(home);
  const universe = {
    asset_classes: ['crypto'],
    min_market_cap_usd: null,
    min_avg_daily_volume_usd: null,
    exclude_symbols: [],
  };
  const mandate = python<{ consent: { consent_token_sha256: string; account_ref: string } }>(
    'vibe_trading.py',
    [home, 'commit-mandate', 'paper'],
    {
      hard_caps: {
        account_funding_usd: 10_000.0,
        max_order_notional_usd: 500.0,
        max_total_exposure_usd: 5_000.0,
        max_leverage: 1.0,
        allowed_instruments: ['crypto'],
        max_trades_per_day: 50,
      },
      universe,
      account_ref: 'rh-acct-ref',
    },
  );

  it('a placed order: order_placed / accepted, Vibe-Trading field order, refs with its meaning, la_ id, +00:00 time', () => {
    const refused = order(home, 'alice', '50', ['--client-order-id', 'password=hunter2']);
    expect(JSON.parse(refused.out).decision, 'the malformed client order id is refused').toBe('REJECT');
    const text = readFileSync(layout.audit(), 'utf8');
    expect(text, 'the refusal is audited').toContain('"kind": "order_rejected"');
    expect(text, 'a secret-shaped client order id is redacted in the file').not.toContain('hunter2');
    const r = order(home, 'alice', '50', ['--client-order-id', 'alice-order-1']);
    expect(JSON.parse(r.out).decision, r.out).toBe('ALLOW');
    const rec = JSON.parse(lines(layout.audit()).at(-1)!);
    expect(Object.keys(rec)).toEqual([...VT_FIELDS, 'arbiter']);
    expect(rec).toMatchObject({
      kind: 'order_placed',
      outcome: 'accepted',
      server: 'paper',
      remote_tool: 'cli.order',
      intent_normalized: 'buy $50 BTC/USDT (crypto)',
      mandate_snapshot_ref: mandate.consent.consent_token_sha256,
      consent_record_ref: 'rh-acct-ref',
      error: null,
      gate_decision: { allowed: true, decision: 'allow' },
    });
    expect(rec.audit_id).toMatch(/^la_/);
    expect(rec.ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
    expect(rec.arbiter.decision).toBe('ALLOW');
    expect(lines(layout.audit()).at(-1)!, 'the line is written as json.dumps writes it').toContain(
      '"kind": "order_placed"',
    );
  });

  it('a refused order: breach / blocked with the limit, its value and the attempted value', () => {
    const r = order(home, 'bob', '1500');
    expect(JSON.parse(r.out).decision).toBe('PAUSE_FOR_REAUTH');
    const rec = JSON.parse(lines(layout.audit()).at(-1)!);
    expect(rec).toMatchObject({
      kind: 'breach',
      outcome: 'blocked',
      broker_request: null,
      broker_response: null,
      gate_decision: {
        allowed: false,
        decision: 'pause_for_reauth',
        limit: 'max_order_notional_usd',
        kind: 'quantitative',
        limit_value: 500,
      },
    });
    expect(rec.gate_decision.attempted_value).toBeCloseTo(1500, 6);
  });

  it('a dry run is not a live action: it stays out of audit.jsonl', () => {
    const before = lines(layout.audit()).length;
    const r = cli(home, ['vet', '--agent', 'carol', '--symbol', 'BTC/USDT', '--side', 'buy', '--notional', '50']);
    expect(JSON.parse(r.out).decision).toBe('ALLOW');
    expect(lines(layout.audit())).toHaveLength(before);
  });

  it("one chain that both programs append to, accepted by Vibe-Trading's verifier", () => {
    python('vibe_trading.py', [home, 'append-audit'], {
      kind: 'order_placed',
      outcome: 'accepted',
      server: 'paper',
      session_id: 'vt',
      broker_request: { symbol: 'ETH-USD', token: 'leak-me', note: 'ünïcödé 1e-7' },
    });
    expect(order(home, 'dave', '60').code).toBe(0);
    const chain = lines(layout.audit().replace('audit.jsonl', 'audit_chain.jsonl')).map((l) => JSON.parse(l));
    expect(chain.map((c) => c.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(chain.map((c) => c.server)).toEqual(['paper', 'paper', 'paper', 'paper', 'paper']);
    expect(chain[0].prev_record_hash).toBe('sha256:genesis');
    const verdict = python<{ ok: boolean; record_count: number }>('vibe_trading.py', [home, 'verify-chain']);
    expect(verdict).toEqual({ ok: true, record_count: 5, first_break: null });
    expect(JSON.stringify(chain)).not.toContain('leak-me');
  });

  it('an edited chain is caught by the verifier, and Arbiter does not extend it (its records stay in audit.jsonl)', () => {
    const path = layout.audit().replace('audit.jsonl', 'audit_chain.jsonl');
    const text = readFileSync(path, 'utf8').replace('"session_id": "vt"', '"session_id": "hijacked"');
    writeFileSync(path, text);
    const before = lines(path).length;
    expect(order(home, 'erin', '55').code).toBe(0);
    expect(lines(path)).toHaveLength(before);
    expect(lines(layout.audit()).at(-1)).toContain('"kind": "order_placed"');
    expect(python<{ ok: boolean }>('vibe_trading.py', [home, 'verify-chain']).ok).toBe(false);
  });
});
