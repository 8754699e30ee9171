import { fromBase64url } from '../core/cert/certificate.js';
import { type VerifyResult, verifyCertificate as verifyWith } from '../core/cert/verify.js';
import { type Ed25519Backend, ed25519Backend, ed25519Verifier } from './ed25519.js';

/**
 * The issuer key to pin: `{ keyId, publicKey }` with the raw 32-byte key (bytes, base64url or hex), or the JSON
 * of GET /v1/pubkey as it is. Fetch it once and keep it: a certificate's own claims about its issuer are never
 * trusted.
 */
export type IssuerKey =
  | { readonly keyId: string; readonly publicKey: Uint8Array | string }
  | { readonly key_id: string; readonly public_key: string };

export interface OfflineVerifyOptions {
  /** Judge expiry at this time (epoch ms; default now). */
  readonly now?: number;
  /** Check the signature of an expired certificate too (status `expired` otherwise). */
  readonly allowExpired?: boolean;
  /** Re-run the firewall on the context the certificate binds (default true). */
  readonly rederive?: boolean;
  /** `auto` (default): WebCrypto Ed25519 when the runtime has it, else @noble/ed25519. */
  readonly backend?: Ed25519Backend | 'auto';
}

export type OfflineVerifyResult = VerifyResult & { readonly backend: Ed25519Backend };

function keyBytes(key: Uint8Array | string): Uint8Array {
  if (typeof key !== 'string') return key;
  if (/^[0-9a-f]{64}$/i.test(key)) return Uint8Array.from(key.match(/../g)!, (h) => Number.parseInt(h, 16));
  return fromBase64url(key);
}

/** `{ keyId, publicKey: bytes }` from any accepted spelling. */
export function pinIssuer(key: IssuerKey): { keyId: string; publicKey: Uint8Array } {
  if ('key_id' in key) return { keyId: key.key_id, publicKey: keyBytes(key.public_key) };
  return { keyId: key.keyId, publicKey: keyBytes(key.publicKey) };
}

/**
 * Verifies a certificate with no server: the signature over its RFC 8785 payload against the pinned key, its
 * expiry, and (by default) a re-run of the firewall's pure `evaluate` on the context it binds. The same code as
 * the server's (src/core/cert/verify.ts); only the Ed25519 primitive comes from the runtime.
 */
export async function verifyCertificate(
  certificate: unknown,
  issuer: IssuerKey,
  options: OfflineVerifyOptions = {},
): Promise<OfflineVerifyResult> {
  const backend = await ed25519Backend(options.backend ?? 'auto');
  let pinned: { keyId: string; publicKey: Uint8Array };
  try {
    pinned = pinIssuer(issuer);
  } catch (e) {
    return { ok: false, status: 'malformed', message: `MALFORMED: issuer key: ${(e as Error).message}`, backend };
  }
  const result = await verifyWith(certificate, pinned, ed25519Verifier(backend), {
    now: options.now ?? Date.now(),
    allowExpired: options.allowExpired ?? false,
    rederive: options.rederive ?? true,
  });
  return { ...result, backend };
}
