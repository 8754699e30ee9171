import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSigner } from '../src/adapters/runtime/keys.js';
import { RuntimeLayout } from '../src/adapters/runtime/layout.js';
import { verifyVerdictText } from '../src/app/verify-file.js';
import { cli, tempHome } from './support/cli.js';

describe('arbiter CLI, end to end', () => {
  let home: string;
  let verdict: string;

  beforeAll(() => {
    home = tempHome();
    expect(cli(home, ['mandate', 'init']).code).toBe(0);
    const r = cli(home, ['vet', '--agent', 'alice', '--symbol', 'BTC/USDT', '--side', 'buy', '--notional', '50']);
    expect(r.code, r.err).toBe(0);
    verdict = r.out;
    // An order (a dry run records nothing): its verdict and outcome go to the ledger and the audit log.
    const o = cli(home, [
      'vet',
      '--agent',
      'alice',
      '--symbol',
      'BTC/USDT',
      '--side',
      'buy',
      '--notional',
      '40',
      '--execute',
    ]);
    expect(o.code, o.err).toBe(0);
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('mandate init writes the Vibe-Trading layout with the key and mandate private to the owner', () => {
    const layout = new RuntimeLayout(home);
    const mandate = JSON.parse(readFileSync(layout.mandate('paper'), 'utf8'));
    expect(mandate.schema_version).toBe(1);
    expect(Object.keys(mandate.hard_caps)).toEqual([
      'account_funding_usd',
      'max_order_notional_usd',
      'max_total_exposure_usd',
      'max_leverage',
      'allowed_instruments',
      'max_trades_per_day',
    ]);
    expect(statSync(layout.issuerKey()).mode & 0o777).toBe(0o600);
    expect(statSync(layout.mandate('paper')).mode & 0o777).toBe(0o600);
  });

  it('vet prints the decision, effective notional, reasons, gates and certificate, and says it is a dry run', () => {
    const v = JSON.parse(verdict);
    expect(v.decision).toBe('ALLOW');
    expect(v.dry_run).toBe(true);
    expect(v.certificate.payload.dry_run).toBe(true);
    expect(v.effective_notional).toBeGreaterThan(45);
    expect(v.effective_notional).toBeLessThanOrEqual(50);
    expect(v.gates).toHaveLength(14);
    expect(v.certificate.alg).toBe('Ed25519');
  });

  it('verify exits 0 for the saved verdict and re-derives it', () => {
    const file = join(home, 'v.json');
    writeFileSync(file, verdict);
    const r = cli(home, ['verify', file, '--rederive']);
    expect(r.code, r.out).toBe(0);
    expect(JSON.parse(r.out).rederived).toBe(true);
  });

  it('verify exits non-zero and says why when a byte of the saved verdict changes', () => {
    const file = join(home, 'v-bad.json');
    writeFileSync(file, verdict.replace('"ALLOW"', '"ALLOX"'));
    const r = cli(home, ['verify', file]);
    expect(r.code).not.toBe(0);
    expect(JSON.parse(r.out).message).toMatch(/INVALID_SIGNATURE|ENVELOPE_ALTERED/);
  });

  it('detects a change to every single byte of the saved verdict', async () => {
    const signer = loadSigner(new RuntimeLayout(home));
    const pinned = { keyId: signer.keyId, publicKey: signer.publicKey };
    const opts = { now: Date.now() };
    expect((await verifyVerdictText(verdict, pinned, opts)).ok).toBe(true);
    const survivors: number[] = [];
    for (let i = 0; i < verdict.length; i++) {
      const c = verdict.charCodeAt(i);
      const swapped = String.fromCharCode(c === 0x31 ? 0x32 : c === 0x20 ? 0x09 : c === 0x0a ? 0x20 : 0x31);
      const text = verdict.slice(0, i) + swapped + verdict.slice(i + 1);
      if ((await verifyVerdictText(text, pinned, opts)).ok) survivors.push(i);
    }
    expect(survivors, 'byte offsets whose change went unnoticed').toEqual([]);
  });

  it('halt refuses new exposure until resume', () => {
    expect(cli(home, ['halt', '--reason', 'manual stop']).code).toBe(0);
    const halted = cli(home, ['vet', '--agent', 'alice', '--symbol', 'BTC/USDT', '--side', 'buy', '--notional', '60']);
    expect(JSON.parse(halted.out).reasons).toEqual(['HALTED_GLOBAL']);
    expect(halted.code).toBe(3);
    expect(cli(home, ['resume']).code).toBe(0);
    const after = cli(home, ['vet', '--agent', 'alice', '--symbol', 'BTC/USDT', '--side', 'buy', '--notional', '70']);
    expect(JSON.parse(after.out).decision).toBe('ALLOW');
  });

  it('refuses a numeric string with a message naming the field', () => {
    const r = cli(home, ['vet', '--agent', 'bob', '--symbol', 'BTC/USDT', '--side', 'buy', '--notional', '1e400']);
    const v = JSON.parse(r.out);
    expect(v.decision).toBe('REJECT');
    expect(v.messages[0]).toContain('field=notional');
  });

  it('parses every number JSON can write (1e2, -0.5, .5, 2.5E1) and prints sizes without binary noise', () => {
    const vet = (n: string) =>
      JSON.parse(cli(home, ['vet', '--agent', 'carol', '--symbol', 'BTC/USDT', '--side', 'buy', '--notional', n]).out);
    const hundred = vet('1e2');
    expect(hundred.decision, JSON.stringify(hundred.messages)).toBe('ALLOW');
    expect(hundred.certificate.payload.intent.notional, '1e2 is the number 100').toBe(100);
    // BTC/USDT: tick 0.1 (or finer) × step 0.00001: a notional has at most 7 decimals, never 15 digits of noise.
    for (const x of [hundred.effective_notional, hundred.effective_quantity])
      expect(String(x), `${x} has no binary noise`).toMatch(/^\d+(\.\d{1,8})?$/);
    expect(vet('2.5E1').certificate.payload.intent.notional).toBe(25);
    const negative = vet('-0.5');
    expect(negative.messages[0]).toContain('field=notional');
    expect(negative.messages[0]).toContain('must be greater than 0');
    const half = vet('.5');
    expect(half.certificate.payload.intent.notional, '.5 is the number 0.5').toBe(0.5);
    expect(half.reasons).toEqual(['ORDER_BELOW_MINIMUM']);
  });

  it('writes redacted audit records of sent orders in the Vibe-Trading shape (dry runs write none)', () => {
    const before = readFileSync(new RuntimeLayout(home).audit(), 'utf8').trim().split('\n').length;
    expect(
      cli(home, ['vet', '--agent', 'alice', '--symbol', 'BTC/USDT', '--side', 'buy', '--notional', '33']).code,
    ).toBe(0);
    const sent = cli(home, [
      'vet',
      '--execute',
      '--agent',
      'alice',
      '--symbol',
      'BTC/USDT',
      '--side',
      'buy',
      '--notional',
      '40',
    ]);
    expect(JSON.parse(sent.out).decision).toBe('ALLOW');
    const lines = readFileSync(new RuntimeLayout(home).audit(), 'utf8').trim().split('\n');
    expect(lines, 'only sent orders are live actions').toHaveLength(before + 1);
    const rec = JSON.parse(lines.at(-1)!);
    expect(Object.keys(rec)).toEqual([
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
      'arbiter',
    ]);
    expect([rec.kind, rec.outcome, rec.server]).toEqual(['order_placed', 'accepted', 'paper']);
  });

  it('ledger verify passes, then fails after an edit and after a truncation', () => {
    const first = cli(home, ['ledger', 'verify']);
    expect(first.code, first.out).toBe(0);
    const db = new Database(join(home, 'arbiter.db'));
    const original = db.prepare('SELECT body FROM ledger WHERE seq = 2').get() as { body: string };
    db.prepare('UPDATE ledger SET body = ? WHERE seq = 2').run(`${original.body} `);
    const edited = cli(home, ['ledger', 'verify']);
    expect(edited.code).toBe(1);
    expect(edited.out).toContain('edited');
    db.prepare('UPDATE ledger SET body = ? WHERE seq = 2').run(original.body);
    expect(cli(home, ['ledger', 'verify']).code).toBe(0);
    db.prepare('DELETE FROM ledger WHERE seq = (SELECT MAX(seq) FROM ledger)').run();
    db.close();
    const truncated = cli(home, ['ledger', 'verify']);
    expect(truncated.code).toBe(1);
    expect(truncated.out).toContain('truncated');
  });

  it('refuses every order with a reason naming the field when the mandate is invalid', () => {
    const layout = new RuntimeLayout(home);
    const m = JSON.parse(readFileSync(layout.mandate('paper'), 'utf8'));
    m.hard_caps.max_leverage = -1;
    writeFileSync(layout.mandate('paper'), JSON.stringify(m));
    const r = cli(home, ['vet', '--agent', 'alice', '--symbol', 'BTC/USDT', '--side', 'buy', '--notional', '80']);
    const v = JSON.parse(r.out);
    expect(v.decision).toBe('REJECT');
    expect(v.messages[0]).toContain('hard_caps.max_leverage');
  });
});
