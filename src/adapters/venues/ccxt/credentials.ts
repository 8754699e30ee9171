import { readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import type { VenueCredentials } from './config.js';

/** A credentials problem. Messages name files and variables, never values. */
export class CredentialsError extends Error {
  constructor(
    readonly code: 'SECRETS_FILE_PERMISSIONS' | 'SECRETS_FILE_UNREADABLE' | 'SECRETS_FILE_INVALID',
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'CredentialsError';
  }
}

const EntrySchema = z
  .object({
    apiKey: z.string().min(1).optional(),
    secret: z.string().min(1).optional(),
    passphrase: z.string().min(1).optional(),
    /** Hyperliquid's names for apiKey (the account's wallet address) and secret (the signing private key). */
    walletAddress: z.string().min(1).optional(),
    privateKey: z.string().min(1).optional(),
  })
  .strict();

/** `{ "bybit": { "apiKey": "…", "secret": "…" }, "okx": { …, "passphrase": "…" } }` */
const SecretsFileSchema = z.record(z.string().regex(/^[a-z0-9]+$/), EntrySchema);
export type SecretsFile = z.infer<typeof SecretsFileSchema>;

export type Env = Readonly<Record<string, string | undefined>>;

/** Venues whose API keys come with a passphrase. */
export const NEEDS_PASSPHRASE: ReadonlySet<string> = new Set(['okx', 'bitget', 'kucoin', 'kucoinfutures']);

/** Venues whose credentials are a wallet address and a private key (also accepted under those names). */
const WALLET_VENUES: ReadonlySet<string> = new Set(['hyperliquid']);

export function envPrefix(venue: string): string {
  return `ARBITER_${venue.toUpperCase()}_`;
}

/**
 * The secrets file's JSON, read only when group and others can neither read nor write it (mode 0600 or 0400): a
 * key a trading firewall relies on must not be readable by other local users.
 */
export function readSecretsJson(path: string): Record<string, unknown> {
  let mode: number;
  try {
    mode = statSync(path).mode & 0o777;
  } catch {
    throw new CredentialsError('SECRETS_FILE_UNREADABLE', `cannot stat secrets file ${path}`);
  }
  if ((mode & 0o077) !== 0) {
    throw new CredentialsError(
      'SECRETS_FILE_PERMISSIONS',
      `secrets file ${path} has mode ${mode.toString(8).padStart(4, '0')}; run \`chmod 600 ${path}\``,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new CredentialsError('SECRETS_FILE_UNREADABLE', `secrets file ${path} is not readable JSON`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new CredentialsError('SECRETS_FILE_INVALID', `secrets file ${path} is not a JSON object`);
  return parsed as Record<string, unknown>;
}

/**
 * Reads the venues of a secrets file (see readSecretsJson for the permissions it needs). Its `models` section holds
 * model keys (adapters/llm/keys.ts) and is not a venue; its `polymarket` entry is a wallet (adapters/venues/polymarket).
 */
export function readSecretsFile(path: string): SecretsFile {
  const { models: _models, polymarket: _polymarket, ...parsed } = readSecretsJson(path);
  const r = SecretsFileSchema.safeParse(parsed);
  if (!r.success) {
    const where = r.error.issues.map((i) => i.path.join('.')).join(', ');
    throw new CredentialsError('SECRETS_FILE_INVALID', `secrets file ${path} has unexpected entries at: ${where}`);
  }
  return r.data;
}

export interface CredentialPresence {
  readonly apiKey: boolean;
  readonly secret: boolean;
  readonly passphrase: boolean;
  readonly passphraseRequired: boolean;
  readonly source: 'env' | 'file' | 'none';
}

/**
 * Environment first (`ARBITER_<VENUE>_API_KEY`, `_API_SECRET`, `_PASSPHRASE`; for Hyperliquid also
 * `_WALLET_ADDRESS` and `_PRIVATE_KEY`), then the secrets file.
 */
export function resolveCredentials(
  venue: string,
  env: Env,
  secrets?: SecretsFile,
): { credentials: VenueCredentials | null; presence: CredentialPresence } {
  const p = envPrefix(venue);
  const wallet = WALLET_VENUES.has(venue);
  const fromEnv = {
    apiKey: env[`${p}API_KEY`] ?? (wallet ? env[`${p}WALLET_ADDRESS`] : undefined),
    secret: env[`${p}API_SECRET`] ?? (wallet ? env[`${p}PRIVATE_KEY`] : undefined),
    passphrase: env[`${p}PASSPHRASE`],
  };
  const useEnv = Boolean(fromEnv.apiKey || fromEnv.secret);
  const entry = secrets?.[venue] ?? {};
  const fromFile = wallet
    ? { ...entry, apiKey: entry.apiKey ?? entry.walletAddress, secret: entry.secret ?? entry.privateKey }
    : entry;
  const src = useEnv ? fromEnv : fromFile;
  const passphraseRequired = NEEDS_PASSPHRASE.has(venue);
  const presence: CredentialPresence = {
    apiKey: Boolean(src.apiKey),
    secret: Boolean(src.secret),
    passphrase: Boolean(src.passphrase),
    passphraseRequired,
    source: useEnv ? 'env' : secrets?.[venue] ? 'file' : 'none',
  };
  const complete = presence.apiKey && presence.secret && (!passphraseRequired || presence.passphrase);
  const credentials = complete
    ? { apiKey: src.apiKey!, secret: src.secret!, ...(src.passphrase ? { passphrase: src.passphrase } : {}) }
    : null;
  return { credentials, presence };
}

/** Credentials for one venue, or null when incomplete. Throws CredentialsError for a bad secrets file. */
export function loadVenueCredentials(venue: string, env: Env, secretsFile?: string): VenueCredentials | null {
  return resolveCredentials(venue, env, secretsFile ? readSecretsFile(secretsFile) : undefined).credentials;
}
