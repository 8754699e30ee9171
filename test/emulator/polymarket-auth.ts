import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { getAddress, type Hex, hashTypedData, recoverTypedDataAddress } from 'viem';

/**
 * How the Polymarket CLOB authenticates, checked here as the venue does (from @polymarket/clob-client 5.8.1's
 * headers/, signing/ and order-utils/, which produce what is verified):
 * - L1 (creating / deriving an API key): an EIP-712 `ClobAuth` signature (domain `ClobAuthDomain` v1 on the chain)
 *   over address, timestamp, nonce and a fixed message, recovered to POLY_ADDRESS.
 * - L2 (every trading call): POLY_SIGNATURE = url-safe base64 HMAC-SHA256 of timestamp + method + path + body with
 *   the base64 API secret, plus the API key and passphrase the key was issued with.
 * - Each order: an EIP-712 `Order` signature (domain `Polymarket CTF Exchange` v1, the chain, the exchange contract
 *   of the token — the neg-risk exchange for neg-risk markets) recovered to the order's signer.
 */

export const CONTRACTS: Readonly<Record<number, { readonly exchange: Hex; readonly negRiskExchange: Hex }>> = {
  137: {
    exchange: '0x4bFb41d5B3570DeFd03C39a9A4D8dE6Bd8B8982E',
    negRiskExchange: '0xC5d563A36AE78145C45a50134d48A1215220f80a',
  },
  80002: {
    exchange: '0xdFE02Eb6733538f8Ea35D585af8DE5958AD99E40',
    negRiskExchange: '0xC5d563A36AE78145C45a50134d48A1215220f80a',
  },
};

const CLOB_AUTH_MESSAGE = 'This message attests that I control the given wallet';
/** A signed request older (or newer) than this is refused. */
const MAX_SKEW_S = 300;

export interface ApiKey {
  readonly key: string;
  readonly secret: string;
  readonly passphrase: string;
  readonly address: string;
}

export type Headers = Readonly<Record<string, string | string[] | undefined>>;
const h = (headers: Headers, name: string): string | undefined => {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};

/** The wallet an L1-signed request proves it controls, or null when the signature does not hold. */
export async function verifyL1(headers: Headers, chainId: number, now: number): Promise<string | null> {
  const address = h(headers, 'POLY_ADDRESS');
  const signature = h(headers, 'POLY_SIGNATURE');
  const ts = h(headers, 'POLY_TIMESTAMP');
  const nonce = h(headers, 'POLY_NONCE') ?? '0';
  if (!address || !signature || !ts || !/^\d+$/.test(ts) || !/^\d+$/.test(nonce)) return null;
  if (Math.abs(now - Number(ts)) > MAX_SKEW_S) return null;
  try {
    const recovered = await recoverTypedDataAddress({
      domain: { name: 'ClobAuthDomain', version: '1', chainId },
      types: {
        ClobAuth: [
          { name: 'address', type: 'address' },
          { name: 'timestamp', type: 'string' },
          { name: 'nonce', type: 'uint256' },
          { name: 'message', type: 'string' },
        ],
      },
      primaryType: 'ClobAuth',
      message: { address: getAddress(address), timestamp: ts, nonce: BigInt(nonce), message: CLOB_AUTH_MESSAGE },
      signature: signature as Hex,
    });
    return recovered.toLowerCase() === address.toLowerCase() ? getAddress(address) : null;
  } catch {
    return null;
  }
}

/** The API key deterministically issued for a wallet and nonce (the venue derives the same key again on request). */
export function issueKey(address: string, nonce: string, seed: string): ApiKey {
  const d = (what: string) => createHash('sha256').update(`${seed}|${address.toLowerCase()}|${nonce}|${what}`).digest();
  const hex = d('key').toString('hex');
  return {
    key: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`,
    secret: d('secret').toString('base64url'),
    passphrase: d('passphrase').toString('hex').slice(0, 64),
    address: getAddress(address),
  };
}

/** The L2 signature the client computes (url-safe base64, `=` kept). */
export function l2Signature(secret: string, ts: string, method: string, path: string, body: string): string {
  const key = Buffer.from(secret.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return createHmac('sha256', key)
    .update(ts + method + path + body)
    .digest('base64')
    .replace(/\+/g, '-')
    .replace(/\//g, '_');
}

/** The API key an L2-signed request proves, or null (unknown key, wrong wallet or passphrase, bad HMAC, stale). */
export function verifyL2(
  headers: Headers,
  keys: ReadonlyMap<string, ApiKey>,
  method: string,
  path: string,
  body: string,
  now: number,
): ApiKey | null {
  const key = keys.get(h(headers, 'POLY_API_KEY') ?? '');
  const ts = h(headers, 'POLY_TIMESTAMP') ?? '';
  const sig = h(headers, 'POLY_SIGNATURE') ?? '';
  if (!key || !/^\d+$/.test(ts) || Math.abs(now - Number(ts)) > MAX_SKEW_S) return null;
  if ((h(headers, 'POLY_ADDRESS') ?? '').toLowerCase() !== key.address.toLowerCase()) return null;
  if (h(headers, 'POLY_PASSPHRASE') !== key.passphrase) return null;
  const want = Buffer.from(l2Signature(key.secret, ts, method, path, body));
  const got = Buffer.from(sig);
  return want.length === got.length && timingSafeEqual(want, got) ? key : null;
}

/** An order as `orderToJson` sends it (side as BUY/SELL, salt as a number). */
export interface WireOrder {
  readonly salt: number;
  readonly maker: string;
  readonly signer: string;
  readonly taker: string;
  readonly tokenId: string;
  readonly makerAmount: string;
  readonly takerAmount: string;
  readonly side: 'BUY' | 'SELL';
  readonly expiration: string;
  readonly nonce: string;
  readonly feeRateBps: string;
  readonly signatureType: number;
  readonly signature: string;
}

const ORDER_TYPES = {
  Order: [
    { name: 'salt', type: 'uint256' },
    { name: 'maker', type: 'address' },
    { name: 'signer', type: 'address' },
    { name: 'taker', type: 'address' },
    { name: 'tokenId', type: 'uint256' },
    { name: 'makerAmount', type: 'uint256' },
    { name: 'takerAmount', type: 'uint256' },
    { name: 'expiration', type: 'uint256' },
    { name: 'nonce', type: 'uint256' },
    { name: 'feeRateBps', type: 'uint256' },
    { name: 'side', type: 'uint8' },
    { name: 'signatureType', type: 'uint8' },
  ],
} as const;

function typedOrder(o: WireOrder, chainId: number, negRisk: boolean) {
  const c = CONTRACTS[chainId];
  if (!c) throw new Error(`no contracts for chain ${chainId}`);
  return {
    domain: {
      name: 'Polymarket CTF Exchange',
      version: '1',
      chainId,
      verifyingContract: negRisk ? c.negRiskExchange : c.exchange,
    },
    types: ORDER_TYPES,
    primaryType: 'Order' as const,
    message: {
      salt: BigInt(o.salt),
      maker: getAddress(o.maker),
      signer: getAddress(o.signer),
      taker: getAddress(o.taker),
      tokenId: BigInt(o.tokenId),
      makerAmount: BigInt(o.makerAmount),
      takerAmount: BigInt(o.takerAmount),
      expiration: BigInt(o.expiration),
      nonce: BigInt(o.nonce),
      feeRateBps: BigInt(o.feeRateBps),
      side: o.side === 'BUY' ? 0 : 1,
      signatureType: o.signatureType,
    },
  };
}

/** The order's EIP-712 hash: the venue's order id. */
export function orderHash(o: WireOrder, chainId: number, negRisk: boolean): Hex {
  return hashTypedData(typedOrder(o, chainId, negRisk));
}

/** Whether the order's signature recovers to its signer on this chain's exchange contract. */
export async function orderSignatureValid(o: WireOrder, chainId: number, negRisk: boolean): Promise<boolean> {
  try {
    const recovered = await recoverTypedDataAddress({
      ...typedOrder(o, chainId, negRisk),
      signature: o.signature as Hex,
    });
    return recovered.toLowerCase() === o.signer.toLowerCase();
  } catch {
    return false;
  }
}
