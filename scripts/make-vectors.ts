/**
 * Writes the certificate-format test vectors (docs/vectors/*.json) from a fixed test key, deterministically:
 * `npx tsx scripts/make-vectors.ts` rewrites them, and test/certformat/vectors.test.ts checks the committed files
 * are what this produces. Everything is built with Arbiter's own functions (evaluate, buildPayload, the signer, the
 * ledger chain), so the vectors are what Arbiter writes, not a second implementation of it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { keyIdOf, NodeSigner, nodeHasher } from '../src/adapters/crypto/node-signer.js';
import { verdictEnvelope } from '../src/app/commands/vet.js';
import { stableJson } from '../src/app/output.js';
import {
  base64url,
  buildPayload,
  type Certificate,
  type CertificatePayload,
  canonicalJson,
  utf8,
} from '../src/core/cert/certificate.js';
import { evaluate } from '../src/core/firewall/engine.js';
import type { EvaluationContext } from '../src/core/firewall/types.js';
import { type ChainRecord, chainPreimage, checkpointMessage, GENESIS_HASH } from '../src/core/ledger/chain.js';
import type { Checkpoint } from '../src/ports/store.js';
import { buy, ctx, mandate } from '../test/fixtures/context.js';

export const VECTORS_DIR = join(import.meta.dirname, '..', 'docs', 'vectors');

/** The RFC 8032 §7.1 TEST 1 secret key: public, so never trust it for anything but these vectors. */
const TEST_SEED_HEX = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
/** A second fixed key (RFC 8032 §7.1 TEST 2), for certificates signed by someone other than the pinned issuer. */
const OTHER_SEED_HEX = '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb';
const PKCS8_PREFIX = '302e020100300506032b657004220420';

function seedSigner(seedHex: string): NodeSigner {
  const der = Buffer.from(PKCS8_PREFIX + seedHex, 'hex');
  return new NodeSigner(`-----BEGIN PRIVATE KEY-----\n${der.toString('base64')}\n-----END PRIVATE KEY-----\n`);
}

const sha = (s: string) => nodeHasher.sha256Hex(s);
const iso = (ms: number) => new Date(ms).toISOString();
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function certify(
  signer: NodeSigner,
  id: string,
  raw: unknown,
  c: EvaluationContext,
  extra: { dryRun?: boolean; approvalId?: string } = {},
): Certificate {
  const payload = buildPayload({ id, keyId: signer.keyId, raw, ctx: c, evaluation: evaluate(raw, c), ...extra }, sha);
  return { alg: 'Ed25519', payload, signature: base64url(signer.sign(utf8(canonicalJson(payload)))) };
}

/** Signs an edited payload again with `signer`: what an issuer holding the key (or another key) could write. */
function resign(signer: NodeSigner, cert: Certificate, edit: (p: Record<string, unknown>) => void): Certificate {
  const payload = clone(cert.payload) as unknown as Record<string, unknown>;
  edit(payload);
  return {
    alg: 'Ed25519',
    payload: payload as unknown as CertificatePayload,
    signature: base64url(signer.sign(utf8(canonicalJson(payload)))),
  };
}

function edited(cert: Certificate, edit: (c: Record<string, unknown>) => void): Certificate {
  const c = clone(cert) as unknown as Record<string, unknown>;
  edit(c);
  return c as unknown as Certificate;
}

/** One bit of the signature flipped, still canonical base64url. */
function flipBit(signature: string): string {
  const bytes = Buffer.from(signature, 'base64url');
  bytes[10] = bytes[10]! ^ 0x01;
  return base64url(new Uint8Array(bytes));
}

/** The same 64 bytes spelled with a non-zero unused low bit in the last character (a second spelling). */
function nonCanonicalLastChar(signature: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(signature.at(-1)!);
  return signature.slice(0, -1) + alphabet[last | 1]!;
}

interface CertVector {
  readonly name: string;
  readonly description: string;
  /** The verifier's clock for this vector. */
  readonly verify_at: string;
  readonly certificate: unknown;
  /** For valid vectors: the exact text that is signed (UTF-8 encoded), to debug a canonicaliser against. */
  readonly signed_text?: string;
  readonly expect: { readonly status: string };
}

/** A ledger slice or arena run with what a verifier must find (docs/certificate-format.md, sections 9 and 11). */
export interface LedgerVector {
  readonly name: string;
  readonly description: string;
  readonly records: readonly ChainRecord[];
  readonly checkpoints: readonly Checkpoint[];
  readonly expect: {
    readonly ok: boolean;
    readonly count: number;
    readonly head: string;
    readonly problems: readonly { readonly seq: number | null; readonly code: string }[];
  };
}

function chain(
  entries: readonly { ts: number; kind: string; ref: string; body: string }[],
  from: { seq: number; prev: string } = { seq: 1, prev: GENESIS_HASH },
): ChainRecord[] {
  const out: ChainRecord[] = [];
  let prev = from.prev;
  let seq = from.seq;
  for (const e of entries) {
    const fields = { seq, ts: e.ts, kind: e.kind, ref: e.ref, body: e.body, prev_hash: prev };
    const hash = sha(chainPreimage(fields));
    out.push({ ...fields, hash });
    prev = hash;
    seq += 1;
  }
  return out;
}

function checkpoint(signer: NodeSigner, records: readonly ChainRecord[], ts: number): Checkpoint {
  const head = records.at(-1)?.hash ?? GENESIS_HASH;
  const signature = base64url(signer.sign(utf8(checkpointMessage(records.length, head, ts))));
  return { count: records.length, head_hash: head, ts, key_id: signer.keyId, signature };
}

/** Each vector file's name and its text. */
export function buildVectors(): Record<string, string> {
  const issuer = seedSigner(TEST_SEED_HEX);
  const other = seedSigner(OTHER_SEED_HEX);
  const c0 = ctx();
  const now = c0.now;
  const soon = iso(now + 1_000);

  // ---- key ----
  const key = {
    description:
      'The issuer key every vector is checked against: the RFC 8032 section 7.1 TEST 1 key, whose secret is public. Pin it only for these vectors.',
    alg: 'Ed25519',
    key_id: issuer.keyId,
    public_key: Buffer.from(issuer.publicKey).toString('base64'),
    public_key_hex: Buffer.from(issuer.publicKey).toString('hex'),
    key_id_derivation: {
      sha256_of_raw_public_key_hex: nodeHasher.sha256Hex(issuer.publicKey),
      key_id: keyIdOf(issuer.publicKey),
    },
  };

  // ---- certificates ----
  const allow = certify(issuer, 'vdt_vector_allow', buy(), c0);
  const capped = certify(issuer, 'vdt_vector_capped', buy({ notional: 1_234.5 }), c0);
  const dry = certify(issuer, 'vdt_vector_dry_run', buy({ notional: 49.178802000000005 }), c0, { dryRun: true });
  const nonfinite = certify(
    issuer,
    'vdt_vector_nonfinite',
    {
      symbol: 'BTC/USDT',
      side: 'buy',
      quantity: Number.NaN,
      notional: Number.POSITIVE_INFINITY,
      limit_price: -Infinity,
    },
    c0,
  );
  const deep = { a: { b: { c: { d: { e: { f: { g: 'seven levels down' } } } } } } };
  const truncated = certify(
    issuer,
    'vdt_vector_truncated',
    { symbol: 'BTC/USDT', side: 'buy', notional: 50, note: 'x'.repeat(1_100), nested: deep },
    c0,
  );
  const limits = certify(
    issuer,
    'vdt_vector_limits',
    {
      symbol: 'BTC/USDT',
      side: 'buy',
      notional: 50,
      items: Array.from({ length: 70 }, (_, i) => i),
      ['k'.repeat(130)]: 'a key of 130 characters',
      lone: 'lone \ud800 surrogate',
      big: 10n,
      fn: () => 1,
      gone: undefined,
      minus_zero: -0,
    },
    c0,
  );
  const unicode = certify(
    issuer,
    'vdt_vector_unicode',
    {
      symbol: 'BTC/USDT',
      side: 'buy',
      quantity: 1e-7,
      notional: 1e21,
      client_order_id: 'ordre-été-😀',
      '\u{ff61}': 'halfwidth ideographic full stop (U+FF61)',
      '\u{1f600}': 'emoji (U+1F600, surrogates D83D DE00)',
      é: 'e acute',
      'tab\there': 'control\u0007char "quoted" \\ back',
      '10': 'an array-index key',
      '2': 'another array-index key',
    },
    c0,
  );
  const noMandate = certify(issuer, 'vdt_vector_no_mandate', buy(), {
    ...c0,
    mandate: { ok: false, code: 'MANDATE_MISSING', message: 'MANDATE_MISSING: path=live/paper/mandate.json' },
  });
  const approvalMandate = mandate((m) => ({ ...m, arbiter: { ...m.arbiter, approval_threshold_usd: 100 } }));
  const pending = certify(issuer, 'vdt_vector_pending', buy({ notional: 200 }), ctx({ m: approvalMandate }), {
    approvalId: 'apr_vector_1',
  });
  const arenaStyle: Certificate = { ...allow, payload: { ...allow.payload, id: 'vdt_vector_arena' }, signature: '' };

  const valid = (name: string, description: string, cert: Certificate): CertVector => ({
    name,
    description,
    verify_at: soon,
    certificate: cert,
    signed_text: canonicalJson(cert.payload),
    expect: { status: 'valid' },
  });
  const bad = (name: string, description: string, cert: unknown, status: string, at = soon): CertVector => ({
    name,
    description,
    verify_at: at,
    certificate: cert,
    expect: { status },
  });
  const reordered = {
    signature: allow.signature,
    payload: Object.fromEntries(Object.entries(allow.payload).reverse()),
    alg: 'Ed25519',
  };
  const certificates = {
    description:
      'Certificates signed by the key in key.json. Verify each at verify_at (ISO 8601, the verifier clock) against that pinned key, without --allow-expired; expect.status is the result.',
    valid: [
      valid('allow', 'ALLOW: a $50 BTC/USDT market buy on a healthy account.', allow),
      valid('allow-capped', 'ALLOW_CAPPED: $1,234.5 asked, capped to the mandate per-order cap.', capped),
      valid(
        'dry-run',
        'A dry run (payload.dry_run = true); the intent notional carries float noise (49.178802000000005).',
        dry,
      ),
      valid(
        'nonfinite-placeholders',
        'REJECT INTENT_MALFORMED: the intent held NaN, Infinity and -Infinity, bound as {"$nonfinite": ...} placeholders.',
        nonfinite,
      ),
      valid(
        'truncated-placeholders',
        'REJECT INTENT_MALFORMED: a 1,100-character string (cut to 1,024 + "…[truncated]") and an object nested deeper than 6 levels ({"$truncated": "depth"}).',
        truncated,
      ),
      valid(
        'json-safe-limits',
        'REJECT INTENT_MALFORMED: the intent (from a TypeScript caller) held a 70-item array (cut to 64), a 130-character key (cut to 128), a lone surrogate (U+FFFD), a BigInt 10n ({"$bigint": "10"}), a function ({"$type": "function"}), an undefined member (left out) and -0 (0).',
        limits,
      ),
      valid(
        'unicode-and-number-forms',
        'REJECT: non-ASCII keys and values (key order by UTF-16 code units), array-index keys, escapes, 1e-7 and 1e21.',
        unicode,
      ),
      valid(
        'mandate-missing',
        'REJECT MANDATE_MISSING: mandate_hash is null, mandate is {error, message}, lifetime 60 s.',
        noMandate,
      ),
      valid('pending-approval', 'PENDING_APPROVAL with an approval_id.', pending),
      valid(
        'keys-reordered',
        'The allow certificate with its keys in another order: the signature covers the canonical form, not the file.',
        reordered as unknown as Certificate,
      ),
    ],
    tampered: [
      bad(
        'decision-changed',
        'allow with payload.decision changed from ALLOW to REJECT.',
        edited(allow, (c) => {
          (c.payload as Record<string, unknown>).decision = 'REJECT';
        }),
        'invalid_signature',
      ),
      bad(
        'effective-notional-changed',
        'allow-capped with payload.effective.notional raised to 1234.5.',
        edited(capped, (c) => {
          ((c.payload as Record<string, unknown>).effective as Record<string, unknown>).notional = 1234.5;
        }),
        'invalid_signature',
      ),
      bad(
        'dry-run-removed',
        'dry-run with payload.dry_run deleted, to pass a dry run off as an order.',
        edited(dry, (c) => {
          delete (c.payload as Record<string, unknown>).dry_run;
        }),
        'invalid_signature',
      ),
      bad(
        'placeholder-replaced',
        'nonfinite-placeholders with intent.quantity changed from {"$nonfinite":"NaN"} to 0.01.',
        edited(nonfinite, (c) => {
          ((c.payload as Record<string, unknown>).intent as Record<string, unknown>).quantity = 0.01;
        }),
        'invalid_signature',
      ),
      bad(
        'signature-bit-flipped',
        'allow with one bit of the signature flipped (byte 10, lowest bit).',
        { ...allow, signature: flipBit(allow.signature) },
        'invalid_signature',
      ),
      bad(
        'signature-padded',
        'allow with the signature written with "=" padding: only unpadded base64url is accepted.',
        { ...allow, signature: `${allow.signature}==` },
        'malformed',
      ),
      bad(
        'signature-non-canonical',
        'allow with the last signature character changed so the same 64 bytes decode with a non-zero unused bit.',
        { ...allow, signature: nonCanonicalLastChar(allow.signature) },
        'malformed',
      ),
      bad(
        'signed-by-another-key',
        'allow re-signed with another key (RFC 8032 TEST 2) but still naming the pinned key id.',
        { ...allow, signature: base64url(other.sign(utf8(canonicalJson(allow.payload)))) },
        'invalid_signature',
      ),
      bad(
        'another-issuer',
        'allow re-signed with another key that names its own key id: a good signature by an issuer that is not pinned.',
        resign(other, allow, (p) => {
          p.issuer = { key_id: other.keyId };
        }),
        'untrusted_issuer',
      ),
      bad('expired', 'allow verified one second after its expires_at.', allow, 'expired', iso(now + 301_000)),
      bad(
        'issued-in-future',
        'allow verified 61 s before its issued_at (60 s of clock skew is tolerated).',
        allow,
        'issued_in_future',
        iso(now - 61_000),
      ),
      bad(
        'issued-after-expiry',
        'allow re-signed by the issuer with expires_at one second before issued_at.',
        resign(issuer, allow, (p) => {
          p.expires_at = iso(now - 1_000);
        }),
        'issued_after_expiry',
      ),
      bad(
        'lifetime-too-long',
        "allow re-signed by the issuer with expires_at 301 s after issued_at (the mandate's certificate_ttl_seconds is 300).",
        resign(issuer, allow, (p) => {
          p.expires_at = iso(now + 301_000);
        }),
        'lifetime_too_long',
      ),
      bad(
        'lifetime-too-long-without-mandate',
        'mandate-missing re-signed with a 61 s lifetime (a certificate without a mandate lives 60 s).',
        resign(issuer, noMandate, (p) => {
          p.expires_at = iso(now + 61_000);
        }),
        'lifetime_too_long',
      ),
      bad(
        'arena-certificate-alone',
        'An arena certificate (signature ""): on its own it proves nothing; only the ledger checkpoint after it covers it.',
        arenaStyle,
        'invalid_signature',
      ),
      bad('wrong-alg', 'allow with alg "EdDSA".', { ...allow, alg: 'EdDSA' }, 'malformed'),
      bad(
        'wrong-version',
        'allow with payload.v = 2.',
        edited(allow, (c) => {
          (c.payload as Record<string, unknown>).v = 2;
        }),
        'malformed',
      ),
    ],
  };

  // ---- saved verdicts (what `arbiter vet` prints) ----
  const savedDry = stableJson(verdictEnvelope(dry));
  const savedCapped = stableJson(verdictEnvelope(capped));
  const savedPending = stableJson(verdictEnvelope(pending));
  const text = (name: string, description: string, t: string, status: string) => ({
    name,
    description,
    verify_at: soon,
    text: t,
    expect: { status },
  });
  const verdicts = {
    description:
      'Saved verdicts: the exact text `arbiter vet` prints (a summary derived from the signed payload, then the certificate). Verify each text at verify_at against key.json; every byte counts.',
    valid: [
      text('dry-run', 'vet output of the dry-run certificate.', savedDry, 'valid'),
      text('allow-capped', 'vet output of the allow-capped certificate.', savedCapped, 'valid'),
      text('pending-approval', 'vet output with approval_id.', savedPending, 'valid'),
      text(
        'unicode-and-index-keys',
        'vet output of unicode-and-number-forms: array-index keys ("2", "10") first, then the others as in the file.',
        stableJson(verdictEnvelope(unicode)),
        'valid',
      ),
    ],
    tampered: [
      text(
        'summary-notional-changed',
        'dry-run with the summary effective_notional changed (the certificate untouched).',
        changed(savedDry, (x) =>
          x.replace(/"effective_notional": (\d+)/, (_, n) => `"effective_notional": ${Number(n) + 10}`),
        ),
        'envelope_altered',
      ),
      text(
        'summary-dry-run-removed',
        'dry-run with the summary line "dry_run": true removed.',
        changed(savedDry, (x) => x.replace('  "dry_run": true,\n', '')),
        'envelope_altered',
      ),
      text(
        'summary-reason-changed',
        'allow-capped with the first summary reason code changed.',
        changed(savedCapped, (x) => x.replace(/"reasons": \[\n {4}"[A-Z_]+"/, '"reasons": [\n    "CHANGED"')),
        'envelope_altered',
      ),
      text(
        'reformatted',
        'dry-run re-indented with 4 spaces: same JSON, other bytes.',
        `${JSON.stringify(JSON.parse(savedDry), null, 4)}\n`,
        'envelope_altered',
      ),
      text('trailing-newline-removed', 'dry-run without its final newline.', savedDry.slice(0, -1), 'envelope_altered'),
      text(
        'certificate-member-added',
        'dry-run with an unsigned member ("note") added inside the certificate, formatted as vet would write it.',
        changed(savedDry, (x) =>
          x.replace(
            '"certificate": {\n    "alg": "Ed25519",',
            '"certificate": {\n    "alg": "Ed25519",\n    "note": "approved by the risk desk",',
          ),
        ),
        'envelope_altered',
      ),
      text(
        'decision-changed-everywhere',
        'allow-capped with "ALLOW_CAPPED" replaced by "ALLOW" in the summary and the certificate.',
        changed(savedCapped, (x) => x.replaceAll('"ALLOW_CAPPED"', '"ALLOW"')),
        'invalid_signature',
      ),
    ],
  };

  // ---- canonicalisation ----
  const canonicalInputs = [
    '{"b":1,"a":2,"c":{"z":[3,{"y":1,"x":2}],"m":null}}',
    '[1.0, 1.5, -0, 0.1, 100, 1e2, 1E-7, 1e-6, 123456789012345678901, 1e21, 1e+20, 5e-324, 1.7976931348623157e308]',
    '[0.30000000000000004, 49.178802000000005, 4.35, 0.000001234, 1234567.8, 9007199254740993]',
    '{"\\uff61":1,"\\ud83d\\ude00":2,"\\u00e9":3,"e":4,"E":5,"":6}',
    '["\\u0007\\b\\t\\n\\f\\r\\u001f", "\\"\\\\/", "\\u00e9\\u20ac\\ud83d\\ude00", "\\u2028\\u2029", "\\u007f"]',
    '{"t":true,"f":false,"n":null,"s":"","a":[],"o":{}}',
  ];
  const canonicalisation = {
    description:
      'RFC 8785 as Arbiter implements it: parse input (JSON text), canonicalise, and the result must equal canonical exactly (compare as UTF-8 bytes).',
    cases: canonicalInputs.map((input) => ({ input, canonical: canonicalJson(JSON.parse(input)) })),
  };

  // ---- ledger ----
  const t = now;
  const entries = [
    { ts: t, kind: 'verdict', ref: allow.payload.id, body: canonicalJson(allow) },
    {
      ts: t + 5,
      kind: 'order_outcome',
      ref: allow.payload.id,
      body: '{"state":"filled","filled_qty":0.00083,"avg_price":60010}',
    },
    {
      ts: t + 1_000,
      kind: 'halt',
      ref: 'global',
      body: '{"reason":"manual stop, café ☕","by":"operator","scope":"global"}',
    },
    { ts: t + 2_000, kind: 'resume', ref: 'global', body: '{"by":"operator"}' },
    { ts: t + 3_000, kind: 'verdict', ref: capped.payload.id, body: canonicalJson(capped) },
    { ts: t + 3_001, kind: 'verdict', ref: pending.payload.id, body: canonicalJson(pending) },
  ];
  const records = chain(entries);
  const cp3 = checkpoint(issuer, records.slice(0, 3), t + 1_500);
  const cp6 = checkpoint(issuer, records, t + 4_000);
  const ok = (name: string, description: string, rs: ChainRecord[], cps: Checkpoint[]): LedgerVector => ({
    name,
    description,
    records: rs,
    checkpoints: cps,
    expect: { ok: true, count: rs.length, head: rs.at(-1)?.hash ?? GENESIS_HASH, problems: [] },
  });
  const broken = (
    name: string,
    description: string,
    rs: ChainRecord[],
    cps: Checkpoint[],
    problems: { seq: number | null; code: string }[],
  ): LedgerVector => ({
    name,
    description,
    records: rs,
    checkpoints: cps,
    expect: { ok: false, count: rs.length, head: rs.at(-1)?.hash ?? GENESIS_HASH, problems },
  });
  const editedBody = records.map((r) =>
    r.seq === 2 ? { ...r, body: r.body.replace('"filled_qty":0.00083', '"filled_qty":0.0083') } : r,
  );
  const rechained = chain(entries.map((e, i) => (i === 1 ? { ...e, body: editedBody[1]!.body } : e)));
  const swapped = [records[0]!, records[1]!, records[3]!, records[2]!, records[4]!, records[5]!];
  const foreign = checkpoint(other, records, t + 4_000);
  const ledger = {
    description:
      'Ledger slices from genesis: verify the hash chain and every checkpoint against key.json. expect.problems lists each problem as (seq or null, code), in the order a verifier walking the records and then the checkpoints finds them.',
    genesis_hash: GENESIS_HASH,
    preimage_of_record_1: chainPreimage(records[0]!),
    checkpoint_message_of_count_6: checkpointMessage(cp6.count, cp6.head_hash, cp6.ts),
    vectors: [
      ok('intact', 'Six records (verdicts, an order outcome, a halt and a resume) and two checkpoints.', records, [
        cp3,
        cp6,
      ]),
      ok('prefix', 'The first three records with the checkpoint that covers them.', records.slice(0, 3), [cp3]),
      broken(
        'body-edited',
        'Record 2 body edited (filled_qty 0.00083 to 0.0083), hashes kept.',
        editedBody,
        [cp3, cp6],
        [{ seq: 2, code: 'record_hash_mismatch' }],
      ),
      broken(
        'record-deleted',
        'Record 4 deleted.',
        records.filter((r) => r.seq !== 4),
        [cp3, cp6],
        [
          { seq: 5, code: 'sequence_gap' },
          { seq: 5, code: 'prev_hash_mismatch' },
          { seq: null, code: 'checkpoint_truncated' },
        ],
      ),
      broken(
        'records-swapped',
        'Records 3 and 4 swapped.',
        swapped,
        [cp3, cp6],
        [
          { seq: 4, code: 'sequence_gap' },
          { seq: 4, code: 'prev_hash_mismatch' },
          { seq: 3, code: 'sequence_gap' },
          { seq: 3, code: 'prev_hash_mismatch' },
          { seq: 5, code: 'sequence_gap' },
          { seq: 5, code: 'prev_hash_mismatch' },
          { seq: null, code: 'checkpoint_mismatch' },
        ],
      ),
      broken(
        'tail-truncated',
        'Records 5 and 6 cut off; the checkpoint at count 6 remains.',
        records.slice(0, 4),
        [cp3, cp6],
        [{ seq: null, code: 'checkpoint_truncated' }],
      ),
      broken(
        'rechained-edit',
        'Record 2 edited and every later hash recomputed: the chain is consistent, the signed checkpoints are not.',
        rechained,
        [cp3, cp6],
        [
          { seq: null, code: 'checkpoint_mismatch' },
          { seq: null, code: 'checkpoint_mismatch' },
        ],
      ),
      broken(
        'checkpoint-forged',
        'The checkpoint at count 6 with head_hash replaced by record 3 hash (signature unchanged).',
        records,
        [cp3, { ...cp6, head_hash: records[2]!.hash }],
        [{ seq: null, code: 'checkpoint_bad_signature' }],
      ),
      broken(
        'checkpoint-by-another-key',
        'A correct checkpoint at count 6, signed by another key under its own key id.',
        records,
        [cp3, foreign],
        [{ seq: null, code: 'checkpoint_bad_signature' }],
      ),
    ],
  };

  // ---- arena ----
  const arenaCerts = [
    { ...allow, payload: { ...allow.payload, id: 'vdt_arena_1', agent_id: 'momentum-20' }, signature: '' },
    { ...capped, payload: { ...capped.payload, id: 'vdt_arena_2', agent_id: 'buy-and-hold' }, signature: '' },
    { ...allow, payload: { ...allow.payload, id: 'vdt_arena_3', agent_id: 'momentum-200' }, signature: '' },
  ];
  const arenaEntries = arenaCerts.map((c, i) => ({
    ts: t + i * 3_600_000,
    kind: 'verdict',
    ref: c.payload.id,
    body: canonicalJson(c),
  }));
  const arenaRecords = chain(arenaEntries);
  const arenaCp = checkpoint(issuer, arenaRecords, t + 3 * 3_600_000);
  const extraRecord = chain(
    [
      {
        ts: t + 4 * 3_600_000,
        kind: 'verdict',
        ref: 'vdt_arena_4',
        body: canonicalJson({ ...arenaCerts[0]!, payload: { ...arenaCerts[0]!.payload, id: 'vdt_arena_4' } }),
      },
    ],
    { seq: 4, prev: arenaRecords.at(-1)!.hash },
  );
  const arenaRechained = chain(
    arenaEntries.map((e, i) =>
      i === 1 ? { ...e, body: e.body.replace('"decision":"ALLOW_CAPPED"', '"decision":"REJECT"') } : e,
    ),
  );
  const arena = {
    description:
      'Arena runs (ledger.jsonl + checkpoints.json): verdict records whose certificates carry signature "" and are covered only by the signed checkpoint after them. Verify as a ledger, and also require the last checkpoint to cover every record.',
    vectors: [
      ok('intact', 'Three arena verdicts and the checkpoint that covers them.', arenaRecords, [arenaCp]),
      broken(
        'uncovered-tail',
        'A fourth verdict appended (correctly chained) after the last checkpoint: it is not evidence.',
        [...arenaRecords, ...extraRecord],
        [arenaCp],
        [{ seq: 4, code: 'uncovered_records' }],
      ),
      broken(
        'decision-rewritten',
        'Record 2 certificate decision rewritten to REJECT and the chain recomputed.',
        arenaRechained,
        [arenaCp],
        [{ seq: null, code: 'checkpoint_mismatch' }],
      ),
    ],
  };

  const files: Record<string, unknown> = {
    'key.json': key,
    'certificates.json': certificates,
    'verdicts.json': verdicts,
    'canonicalisation.json': canonicalisation,
    'ledger.json': ledger,
    'arena.json': arena,
  };
  return Object.fromEntries(Object.entries(files).map(([f, v]) => [f, stableJson(v)]));
}

/** Applies a text edit that must change something (a vector whose edit silently missed would test nothing). */
function changed(text: string, edit: (t: string) => string): string {
  const out = edit(text);
  if (out === text) throw new Error('a tampering edit changed nothing');
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const [file, text] of Object.entries(buildVectors())) {
    writeFileSync(join(VECTORS_DIR, file), text);
    process.stdout.write(`wrote docs/vectors/${file}\n`);
  }
}
