import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import { NodeSigner } from '../crypto/node-signer.js';
import { writeFileAtomic } from './files.js';
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

/**
 * The issuer key: ARBITER_SIGNING_KEY (PKCS#8 PEM, or its base64) if set; otherwise `keys/issuer.key`, generated
 * on first use with mode 0600. A key file readable by others is refused rather than used.
 */
export function loadSigner(layout: RuntimeLayout, env: NodeJS.ProcessEnv = process.env): NodeSigner {
  const fromEnv = env.ARBITER_SIGNING_KEY;
  if (fromEnv) {
    const pem = fromEnv.includes('BEGIN') ? fromEnv : Buffer.from(fromEnv, 'base64').toString('utf8');
    return new NodeSigner(pem);
  }
  const path = layout.issuerKey();
  if (!existsSync(path)) {
    const pem = NodeSigner.generatePem();
    writeFileAtomic(path, pem, 0o600);
    chmodSync(path, 0o600);
  }
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) throw new KeyFileError(path, mode);
  const signer = new NodeSigner(readFileSync(path, 'utf8'));
  const pub = layout.issuerPub();
  if (!existsSync(pub)) writeFileAtomic(pub, `${Buffer.from(signer.publicKey).toString('base64')}\n`);
  return signer;
}
