import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpointMessage } from '../../src/core/ledger/chain.js';
import { cli, tempHome } from '../support/cli.js';

/** The key the arena used to sign with: anyone who knows the seed can recompute it. */
function seedDerivedPublicKey(seed: number): string {
  const d = createHash('sha256').update(`arbiter-arena-sim:${seed}`).digest();
  const pem = `-----BEGIN PRIVATE KEY-----\n${Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), d]).toString('base64')}\n-----END PRIVATE KEY-----\n`;
  const der = createPublicKey(pem).export({ format: 'der', type: 'spki' });
  return Buffer.from(der.subarray(der.length - 32)).toString('base64');
}

const RUN = ['--source', 'synthetic', '--bars', '150', '--warmup', '100', '--seed', '7'];
const QUICK = ['--agents', 'buy-hold,momentum-20', '--no-report', '--bootstrap', '100', '--partitions', '8', '--quiet'];

describe("an arena run's evidence is the installation issuer's", () => {
  let home: string;
  let dir: string;
  let pubkey: { key_id: string; public_key: string };

  beforeAll(() => {
    home = tempHome();
    dir = join(home, 'run');
    const r = cli(home, ['arena', 'run', ...RUN, ...QUICK, '--out', dir]);
    expect(r.code, r.err).toBe(0);
    const k = cli(home, ['pubkey']);
    expect(k.code, k.err).toBe(0);
    pubkey = JSON.parse(k.out);
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('signs every checkpoint with the key arbiter pubkey prints', () => {
    const checkpoints = JSON.parse(readFileSync(join(dir, 'checkpoints.json'), 'utf8')) as {
      count: number;
      head_hash: string;
      ts: number;
      key_id: string;
      signature: string;
    }[];
    expect(checkpoints.length).toBeGreaterThan(0);
    const spki = Buffer.concat([
      Buffer.from('302a300506032b6570032100', 'hex'),
      Buffer.from(pubkey.public_key, 'base64'),
    ]);
    const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    for (const cp of checkpoints) {
      expect(cp.key_id).toBe(pubkey.key_id);
      const ok = verify(
        null,
        Buffer.from(checkpointMessage(cp.count, cp.head_hash, cp.ts)),
        key,
        Buffer.from(cp.signature, 'base64url'),
      );
      expect(ok, `checkpoint at ${cp.count} verifies with the issuer key`).toBe(true);
    }
    const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    expect(run.issuer.key_id).toBe(pubkey.key_id);
  });

  it('arbiter arena verify: OK against the issuer key, refused against the seed-derived key', () => {
    const mine = cli(home, ['arena', 'verify', dir]);
    expect(mine.code, mine.out + mine.err).toBe(0);
    expect(JSON.parse(mine.out)).toMatchObject({ ok: true, key_id: pubkey.key_id });
    const pinned = cli(home, ['arena', 'verify', dir, '--pubkey', pubkey.public_key]);
    expect(pinned.code, pinned.out + pinned.err).toBe(0);
    const seeded = cli(home, ['arena', 'verify', dir, '--pubkey', seedDerivedPublicKey(7)]);
    expect(seeded.code, seeded.out).toBe(1);
    expect(JSON.parse(seeded.out).ok).toBe(false);
  });

  it('arbiter arena verify catches an edited record and a cut tail', () => {
    const ledger = readFileSync(join(dir, 'ledger.jsonl'), 'utf8').split('\n').filter(Boolean);
    const edited = join(home, 'edited');
    const cut = join(home, 'cut');
    for (const d of [edited, cut]) {
      cli(home, ['arena', 'run', ...RUN, ...QUICK, '--out', d]);
    }
    // A verdict whose decision is rewritten (its certificate carries no signature of its own in checkpoint mode).
    const at = ledger.findIndex(
      (l) => JSON.parse(l).kind === 'verdict' && JSON.parse(l).body.includes('"decision":"ALLOW'),
    );
    expect(at).toBeGreaterThanOrEqual(0);
    const rec = JSON.parse(ledger[at]!);
    rec.body = rec.body.replace('"decision":"ALLOW', '"decision":"REJECT');
    const changed = [...ledger];
    changed[at] = JSON.stringify(rec);
    writeFileSync(join(edited, 'ledger.jsonl'), `${changed.join('\n')}\n`);
    writeFileSync(join(cut, 'ledger.jsonl'), `${ledger.slice(0, -2).join('\n')}\n`);
    for (const d of [edited, cut]) {
      const r = cli(home, ['arena', 'verify', d]);
      expect(r.code, `${d}: ${r.out}${r.err}`).toBe(1);
      const report = JSON.parse(r.out);
      expect(report.ok).toBe(false);
      expect(report.problems.length, 'it says what is wrong').toBeGreaterThan(0);
    }
  });

  it('per-verdict signing: every certificate is checked against the issuer key too', () => {
    const per = join(home, 'per-verdict');
    expect(cli(home, ['arena', 'run', ...RUN, ...QUICK, '--signing', 'per-verdict', '--out', per]).code).toBe(0);
    const r = cli(home, ['arena', 'verify', per]);
    expect(r.code, r.out).toBe(0);
    expect(JSON.parse(r.out).signed_certificates).toBeGreaterThan(0);
    expect(cli(home, ['arena', 'verify', per, '--pubkey', seedDerivedPublicKey(7)]).code).toBe(1);
  });

  it('two runs with the same seed on the same installation are byte-identical, signatures included', () => {
    const again = join(home, 'again');
    expect(cli(home, ['arena', 'run', ...RUN, ...QUICK, '--out', again]).code).toBe(0);
    for (const f of ['ledger.jsonl', 'checkpoints.json', 'run.json', 'trades.jsonl'])
      expect(readFileSync(join(again, f)).equals(readFileSync(join(dir, f))), f).toBe(true);
  });
});
