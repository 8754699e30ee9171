/**
 * arbiter/client — talk to a running `arbiter serve` (vet, place orders) and verify certificates offline.
 * Runs in Node 20+ and in browsers; depends only on the core's pure code and @noble/ed25519 (loaded on demand).
 */
export { type Ed25519Backend, ed25519Backend, ed25519Verifier, webCryptoHasEd25519 } from './ed25519.js';
export { ArbiterClient, ArbiterHttpError, type HaltAnswer, type Intent, type Verdict } from './http.js';
export {
  type IssuerKey,
  type OfflineVerifyOptions,
  type OfflineVerifyResult,
  pinIssuer,
  verifyCertificate,
} from './verify.js';
