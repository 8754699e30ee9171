import { createHash } from 'node:crypto';
import { NodeSigner } from '../crypto/node-signer.js';

/** DER prefix of an Ed25519 PKCS#8 private key; the 32-byte seed follows it. */
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export const SIMULATION_KEY_DERIVATION = 'ed25519 seed = sha256("arbiter-arena-sim:" + seed)';

/**
 * A signing key derived from the run's seed, so that two runs with the same seed produce byte-identical
 * certificates, checkpoints and ledger exports. Anyone who knows the seed can sign with it: it identifies a
 * simulation, it does not authorise anything (the arena trades a paper venue only). Pass a real key to sign with.
 */
export function simulationSigner(seed: string | number): NodeSigner {
  const d = createHash('sha256').update(`arbiter-arena-sim:${seed}`).digest();
  const der = Buffer.concat([PKCS8_PREFIX, d]);
  const pem = `-----BEGIN PRIVATE KEY-----\n${der.toString('base64')}\n-----END PRIVATE KEY-----\n`;
  return new NodeSigner(pem);
}
