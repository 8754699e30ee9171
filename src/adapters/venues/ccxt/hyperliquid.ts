import { createHash } from 'node:crypto';
import type { Exchange } from 'ccxt';
import { VenueError } from '../../../ports/venue.js';
import type { VenueCredentials } from './config.js';

/**
 * What Hyperliquid needs beyond the generic ccxt path. The venue has no API keys: an account is a wallet address,
 * and every trading request is an L1 action signed with a private key — the wallet's own, or that of an API
 * (agent) wallet the account approved, which can trade but never withdraw. Arbiter keeps them in the usual
 * credential slots: `apiKey` = the account's wallet address, `secret` = the signing private key.
 */

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const PRIVATE_KEY = /^(0x)?[0-9a-fA-F]{64}$/;

/** ccxt's constructor fields for a wallet; a malformed value is refused naming the field, never echoing it. */
export function hyperliquidWallet(creds: VenueCredentials): { walletAddress: string; privateKey: string } {
  if (!ADDRESS.test(creds.apiKey)) {
    throw new VenueError(
      'AUTH_FAILED',
      'hyperliquid credentials: the wallet address (ARBITER_HYPERLIQUID_API_KEY / apiKey) must be 0x followed by 40 hex digits',
    );
  }
  if (!PRIVATE_KEY.test(creds.secret)) {
    throw new VenueError(
      'AUTH_FAILED',
      'hyperliquid credentials: the private key (ARBITER_HYPERLIQUID_API_SECRET / secret) must be 64 hex digits, with or without 0x',
    );
  }
  const privateKey = creds.secret.startsWith('0x') ? creds.secret : `0x${creds.secret}`;
  return { walletAddress: creds.apiKey.toLowerCase(), privateKey };
}

/**
 * ccxt signs, on first use, an approval of its own builder fee and a referral code for the wallet. Arbiter signs
 * only the actions its caller asked for: both are switched off (no builder is attached to orders either).
 */
export function restrictToRequestedActions(exchange: Exchange): void {
  const ex = exchange as unknown as Record<string, unknown>;
  ex.handleBuilderFeeApproval = async () => true;
  Object.assign(exchange.options, { refSet: true, approvedBuilderFee: false, builderFee: false });
}

/**
 * Hyperliquid takes a client order id only as `0x` + 32 hex digits (128 bits). Arbiter's id maps to the first 128
 * bits of its SHA-256, so the same Arbiter id always names the same venue order (a lookup by client id works after
 * a restart); an id already in the venue's form is sent unchanged.
 */
export function hyperliquidCloid(clientOrderId: string): string {
  if (/^0x[0-9a-f]{32}$/.test(clientOrderId)) return clientOrderId;
  return `0x${createHash('sha256').update(clientOrderId, 'utf8').digest('hex').slice(0, 32)}`;
}
