/**
 * Ed25519 verification for Node 20+ and browsers: WebCrypto first (native, constant-time), the pure-JS
 * @noble/ed25519 when WebCrypto has no Ed25519 (older browsers). noble runs in RFC 8032 mode (zip215: false),
 * the same acceptance rule as WebCrypto and OpenSSL, and hashes with WebCrypto's SHA-512.
 */
export type Ed25519Backend = 'webcrypto' | 'noble';

/** A copy on a fresh ArrayBuffer (what WebCrypto's BufferSource wants, whatever the input's buffer is). */
const bytes = (b: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(b);

let webCryptoSupport: Promise<boolean> | null = null;

/** Whether this runtime's WebCrypto implements Ed25519 (checked once). */
export function webCryptoHasEd25519(): Promise<boolean> {
  webCryptoSupport ??= (async () => {
    const subtle = globalThis.crypto?.subtle;
    if (!subtle) return false;
    try {
      await subtle.importKey('raw', new Uint8Array(32).fill(1), { name: 'Ed25519' }, false, ['verify']);
      return true;
    } catch (e) {
      // A key that is not a curve point still proves the algorithm exists.
      return (e as Error)?.name === 'DataError';
    }
  })();
  return webCryptoSupport;
}

async function webCryptoVerify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean> {
  const subtle = globalThis.crypto.subtle;
  const key = await subtle.importKey('raw', bytes(publicKey), { name: 'Ed25519' }, false, ['verify']);
  return subtle.verify({ name: 'Ed25519' }, key, bytes(signature), bytes(message));
}

async function nobleVerify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean> {
  const ed = await import('@noble/ed25519');
  return ed.verifyAsync(signature, message, publicKey, { zip215: false });
}

/** The backend `auto` resolves to here. */
export async function ed25519Backend(prefer: Ed25519Backend | 'auto' = 'auto'): Promise<Ed25519Backend> {
  if (prefer !== 'auto') return prefer;
  return (await webCryptoHasEd25519()) ? 'webcrypto' : 'noble';
}

/** An Ed25519 verify function on the chosen backend; a malformed key or signature verifies as false. */
export function ed25519Verifier(backend: Ed25519Backend) {
  const impl = backend === 'webcrypto' ? webCryptoVerify : nobleVerify;
  return async (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean> => {
    if (publicKey.length !== 32 || signature.length !== 64) return false;
    try {
      return await impl(publicKey, message, signature);
    } catch {
      return false;
    }
  };
}
