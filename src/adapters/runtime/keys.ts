import { statSync } from 'node:fs';
import { NodeSigner } from '../crypto/node-signer.js';
import { createFileOnce } from './files.js';
import type { RuntimeLayout } from './layout.js';

export class KeyFileError extends Error {
  readonly code = 'KEY_FILE_INSECURE';
  constructor(
    readonly path: string,
    readonly mode: number,
  ) {
    super(`KEY_FILE_INSECURE: path=${path} mode=${mode.toString(8)} expected=600 (run: chmod 600 ${path})`);
  }
}

/** Refuses a secret file that others can read (rather than using it). */
export function assertPrivate(path: string): void {
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) throw new KeyFileError(path, mode);
}

/**
 * The issuer key: ARBITER_SIGNING_KEY (PKCS#8 PEM, or its base64) if set; otherwise `keys/issuer.key`, generated
 * on first use with mode 0600. Processes that start together on a fresh home all end up with the same key: it is
 * created exclusively (see createFileOnce) and the losers read the winner's. A key file readable by others is
 * refused rather than used.
 */
export function loadSigner(layout: RuntimeLayout, env: NodeJS.ProcessEnv = process.env): NodeSigner {
  const fromEnv = env.ARBITER_SIGNING_KEY;
  if (fromEnv) {
    const pem = fromEnv.includes('BEGIN') ? fromEnv : Buffer.from(fromEnv, 'base64').toString('utf8');
    return new NodeSigner(pem);
  }
  const path = layout.issuerKey();
  const { content } = createFileOnce(path, () => NodeSigner.generatePem(), 0o600);
  assertPrivate(path);
  const signer = new NodeSigner(content);
  createFileOnce(layout.issuerPub(), () => `${Buffer.from(signer.publicKey).toString('base64')}\n`, 0o644);
  return signer;
}
