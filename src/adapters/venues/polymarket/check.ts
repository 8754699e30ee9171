import { VenueError } from '../../../ports/venue.js';
import type { Env } from '../ccxt/credentials.js';
import { PolymarketClient } from './client.js';
import { AMOY, POLYGON, POLYMARKET_HOST } from './config.js';
import { loadPolymarketCredentials, POLYMARKET_ENV } from './credentials.js';

/** Polymarket's line in `arbiter venues check`: presence, authentication and the wallet's USDC, never a secret. */
export interface PolymarketCheckReport {
  readonly venue: 'polymarket';
  readonly mode: 'live' | 'testnet';
  /** Which credentials are present (env or secrets file): booleans only. */
  readonly present: {
    readonly privateKey: boolean;
    readonly apiKey: boolean;
    readonly secret: boolean;
    readonly passphrase: boolean;
    readonly funder: boolean;
    /** Where the wallet key was found. */
    readonly source: 'env' | 'file' | null;
  };
  /** The wallet that holds the positions (the funder, else the key's address): public, shown to confirm which. */
  readonly wallet: string | null;
  /** Whether the L2 API key authenticated (a balance read succeeded); null when not probed. */
  readonly authenticated: boolean | null;
  /** The wallet's USDC collateral balance and the exchange's allowance of it, in USDC; null when not read. */
  readonly usdc: { readonly balance: number; readonly allowance: number } | null;
  readonly error: VenueError['code'] | 'CREDENTIALS_INVALID' | 'CONFIG_INVALID' | null;
  /** What was wrong, when something was (names a variable or file entry, never a value). */
  readonly message?: string;
}

export interface PolymarketCheckOptions {
  readonly mode: 'live' | 'testnet';
  /** The CLOB's origin (an emulator or proxy); required for testnet. */
  readonly baseUrl?: string;
  readonly timeoutMs?: number;
}

/**
 * Reads the wallet's USDC balance and allowance through L2 (the API key configured, or created / derived from the
 * wallet as for trading), which tells whether the keys authenticate.
 */
export async function checkPolymarketCredentials(
  env: Env,
  secretsFile: string | undefined,
  opts: PolymarketCheckOptions,
): Promise<PolymarketCheckReport> {
  const base = { venue: 'polymarket' as const, mode: opts.mode };
  const none = { wallet: null, authenticated: null, usdc: null };
  let creds: ReturnType<typeof loadPolymarketCredentials>;
  try {
    creds = loadPolymarketCredentials(env, secretsFile);
  } catch (err) {
    const present = presence(env, null);
    return { ...base, present, ...none, error: 'CREDENTIALS_INVALID', message: (err as Error).message };
  }
  const present = presence(env, creds);
  if (!creds) return { ...base, present, ...none, error: null };
  if (opts.mode === 'testnet' && !opts.baseUrl)
    return {
      ...base,
      present,
      ...none,
      error: 'CONFIG_INVALID',
      message: 'Polymarket has no public testnet CLOB; set ARBITER_VENUE_URL to an emulator, or use --mode live',
    };
  const client = new PolymarketClient(
    {
      mode: opts.mode,
      markets: {},
      orderIndexPath: '-',
      timeoutMs: opts.timeoutMs ?? 10_000,
      host: (opts.baseUrl ?? POLYMARKET_HOST).replace(/\/$/, ''),
      chainId: opts.mode === 'live' ? POLYGON : AMOY,
    },
    creds,
  );
  try {
    const usdc = await client.collateral();
    return { ...base, present, wallet: client.maker, authenticated: true, usdc, error: null };
  } catch (err) {
    const e = err instanceof VenueError ? err : new VenueError('UNKNOWN', 'polymarket check failed');
    return {
      ...base,
      present,
      wallet: client.maker,
      authenticated: e.code === 'AUTH_FAILED' ? false : null,
      usdc: null,
      error: e.code,
      message: e.message,
    };
  }
}

function presence(env: Env, creds: ReturnType<typeof loadPolymarketCredentials>): PolymarketCheckReport['present'] {
  const has = (k: keyof typeof POLYMARKET_ENV, v: unknown) => Boolean(v) || Boolean(env[POLYMARKET_ENV[k]]);
  return {
    privateKey: has('privateKey', creds?.privateKey),
    apiKey: has('apiKey', creds?.apiKey),
    secret: has('secret', creds?.secret),
    passphrase: has('passphrase', creds?.passphrase),
    funder: has('funder', creds?.funder),
    source: env[POLYMARKET_ENV.privateKey] ? 'env' : creds ? 'file' : null,
  };
}
