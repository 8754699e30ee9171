import { VenueError } from '../../../ports/venue.js';
import { CcxtClient } from './client.js';
import { PROFILED_VENUES, parseVenueConfig } from './config.js';
import {
  type CredentialPresence,
  type Env,
  readSecretsFile,
  resolveCredentials,
  type SecretsFile,
} from './credentials.js';
import { probeTradePermission } from './permissions.js';

/** One venue's line in `arbiter venues check`: booleans and error codes only, never a credential. */
export interface VenueCredentialReport {
  readonly venue: string;
  readonly mode: 'live' | 'testnet' | 'demo';
  readonly present: CredentialPresence;
  /** Whether a balance read succeeded; null when credentials are incomplete (not probed). */
  readonly read: boolean | null;
  /** Whether the key may place orders; null when incomplete or the venue does not say. */
  readonly trade: boolean | null;
  readonly error: VenueError['code'] | null;
}

export interface CheckOptions {
  readonly venues?: readonly string[];
  /** Default `testnet`; `ARBITER_<VENUE>_MODE` overrides per venue. */
  readonly mode?: 'live' | 'testnet' | 'demo';
  /** Per-venue REST origin override (tests: the emulator). */
  readonly baseUrls?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}

const MODES = ['live', 'testnet', 'demo'] as const;

/**
 * For each venue: which credentials are present (env or secrets file) and, when complete, what they allow after a
 * fetchBalance probe against the configured endpoint. A bad secrets file throws CredentialsError (no secret in it).
 */
export async function checkVenueCredentials(
  env: Env,
  secretsFile?: string,
  opts: CheckOptions = {},
): Promise<VenueCredentialReport[]> {
  const secrets: SecretsFile | undefined = secretsFile ? readSecretsFile(secretsFile) : undefined;
  const venues = opts.venues ?? PROFILED_VENUES;
  return Promise.all(venues.map((venue) => checkOne(venue, env, secrets, opts)));
}

async function checkOne(
  venue: string,
  env: Env,
  secrets: SecretsFile | undefined,
  opts: CheckOptions,
): Promise<VenueCredentialReport> {
  const envMode = env[`ARBITER_${venue.toUpperCase()}_MODE`];
  const mode = MODES.find((m) => m === envMode) ?? opts.mode ?? 'testnet';
  const { credentials, presence } = resolveCredentials(venue, env, secrets);
  const base = { venue, mode, present: presence };
  if (!credentials) return { ...base, read: null, trade: null, error: null };
  try {
    const config = parseVenueConfig({
      exchangeId: venue,
      mode,
      baseUrl: opts.baseUrls?.[venue],
      timeoutMs: opts.timeoutMs ?? 10_000,
    });
    const client = new CcxtClient(config, credentials);
    await client.fetchBalance();
    return { ...base, read: true, trade: await probeTradePermission(client), error: null };
  } catch (err) {
    const code = err instanceof VenueError ? err.code : 'UNKNOWN';
    return { ...base, read: false, trade: code === 'AUTH_FAILED' ? false : null, error: code };
  }
}
