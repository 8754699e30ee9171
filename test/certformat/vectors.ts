import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LedgerVector } from '../../scripts/make-vectors.js';

export type { LedgerVector };

export const VECTORS = join(import.meta.dirname, '..', '..', 'docs', 'vectors');

export interface CertVector {
  readonly name: string;
  readonly description: string;
  readonly verify_at: string;
  readonly certificate: { readonly payload?: unknown } & Record<string, unknown>;
  readonly signed_text?: string;
  readonly expect: { readonly status: string };
}

export interface VerdictVector {
  readonly name: string;
  readonly description: string;
  readonly verify_at: string;
  readonly text: string;
  readonly expect: { readonly status: string };
}

export interface Vectors {
  readonly key: { key_id: string; public_key: string; public_key_hex: string };
  readonly certificates: { valid: CertVector[]; tampered: CertVector[] };
  readonly verdicts: { valid: VerdictVector[]; tampered: VerdictVector[] };
  readonly canonicalisation: { cases: { input: string; canonical: string }[] };
  readonly ledger: {
    preimage_of_record_1: string;
    checkpoint_message_of_count_6: string;
    vectors: LedgerVector[];
  };
  readonly arena: { vectors: LedgerVector[] };
}

export function readVectors(): Vectors {
  const read = (f: string) => JSON.parse(readFileSync(join(VECTORS, f), 'utf8'));
  return {
    key: read('key.json'),
    certificates: read('certificates.json'),
    verdicts: read('verdicts.json'),
    canonicalisation: read('canonicalisation.json'),
    ledger: read('ledger.json'),
    arena: read('arena.json'),
  };
}

/** The document's problem codes for the messages of Arbiter's chain and arena verifiers. */
const PROBLEMS: readonly [RegExp, string][] = [
  [/^sequence gap or reorder/, 'sequence_gap'],
  [/^prev_hash does not match/, 'prev_hash_mismatch'],
  [/^record hash does not match/, 'record_hash_mismatch'],
  [/^checkpoint at count \d+ has a bad signature/, 'checkpoint_bad_signature'],
  [/^truncated: a signed checkpoint covers/, 'checkpoint_truncated'],
  [/^checkpoint at count \d+ does not match the chain/, 'checkpoint_mismatch'],
  [/^records \d+-\d+ are not covered by a signed checkpoint/, 'uncovered_records'],
];

export function problemCode(message: string): string {
  for (const [re, code] of PROBLEMS) if (re.test(message)) return code;
  return `unmapped: ${message}`;
}
