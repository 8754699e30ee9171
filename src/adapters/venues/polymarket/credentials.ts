import { z } from 'zod';
import { type Env, readSecretsJson } from '../ccxt/credentials.js';

/**
 * Polymarket credentials: the wallet key signs orders and, once, the request that issues the API key (L1); the API
 * key, secret and passphrase sign every trading call (L2) and are derived from the wallet when absent. A proxy or
 * Safe wallet trades for the key with `funder` and `signatureType` 1 or 2.
 */
export interface PolymarketCredentials {
  readonly privateKey: `0x${string}`;
  readonly apiKey?: string;
  readonly secret?: string;
  readonly passphrase?: string;
  readonly funder?: string;
  readonly signatureType?: 0 | 1 | 2;
}

const Entry = z
  .object({
    privateKey: z.string().regex(/^(0x)?[0-9a-fA-F]{64}$/, 'a 32-byte hex private key'),
    apiKey: z.string().min(1).optional(),
    secret: z.string().min(1).optional(),
    passphrase: z.string().min(1).optional(),
    funder: z
      .string()
      .regex(/^0x[0-9a-fA-F]{40}$/, 'a 0x address')
      .optional(),
    signatureType: z.union([z.literal(0), z.literal(1), z.literal(2)]).optional(),
  })
  .strict();

export const POLYMARKET_ENV = {
  privateKey: 'ARBITER_POLYMARKET_PRIVATE_KEY',
  apiKey: 'ARBITER_POLYMARKET_API_KEY',
  secret: 'ARBITER_POLYMARKET_API_SECRET',
  passphrase: 'ARBITER_POLYMARKET_PASSPHRASE',
  funder: 'ARBITER_POLYMARKET_FUNDER',
  signatureType: 'ARBITER_POLYMARKET_SIGNATURE_TYPE',
} as const;

/**
 * From the environment when ARBITER_POLYMARKET_PRIVATE_KEY is set, else the secrets file's `polymarket` entry; null
 * when neither has a wallet key. Errors name the variable or file entry, never a value.
 */
export function loadPolymarketCredentials(env: Env, secretsFile?: string): PolymarketCredentials | null {
  let raw: Record<string, unknown> | undefined;
  let where: string;
  const fromEnv = Boolean(env[POLYMARKET_ENV.privateKey]);
  if (fromEnv) {
    where = 'the ARBITER_POLYMARKET_* variables';
    raw = {};
    for (const [k, name] of Object.entries(POLYMARKET_ENV)) {
      const v = env[name];
      if (v !== undefined && v !== '') raw[k] = k === 'signatureType' ? Number(v) : v;
    }
  } else if (secretsFile) {
    where = `the "polymarket" entry of ${secretsFile}`;
    const entry = readSecretsJson(secretsFile).polymarket;
    if (entry === undefined) return null;
    raw = entry as Record<string, unknown>;
  } else return null;
  const r = Entry.safeParse(raw);
  if (!r.success) {
    const field = (k: string) => (fromEnv ? (POLYMARKET_ENV[k as keyof typeof POLYMARKET_ENV] ?? k) : k);
    const bad = r.error.issues.map((i) => `${field(i.path.join('.')) || 'entry'} (${i.message})`).join(', ');
    throw new Error(`POLYMARKET_CREDENTIALS_INVALID: ${where}: ${bad}`);
  }
  const partial = [r.data.apiKey, r.data.secret, r.data.passphrase].filter(Boolean).length;
  if (partial !== 0 && partial !== 3)
    throw new Error(
      `POLYMARKET_CREDENTIALS_INVALID: ${where}: give the API key, secret and passphrase together, or none (they are then derived from the wallet)`,
    );
  const pk = r.data.privateKey.startsWith('0x') ? r.data.privateKey : `0x${r.data.privateKey}`;
  return { ...r.data, privateKey: pk as `0x${string}` };
}
