import { join } from 'node:path';
import { createFileOnce } from '../adapters/runtime/files.js';
import { assertPrivate } from '../adapters/runtime/keys.js';
import type { RuntimeLayout } from '../adapters/runtime/layout.js';
import { ADMIN_TOKEN_PREFIX, newToken, tokenHash } from '../transport/http/auth.js';

const MIN_ADMIN_TOKEN = 32;

/**
 * The admin token (approvals, kill switch, the ledger, audit): ARBITER_ADMIN_TOKEN holds the token itself if set;
 * otherwise `keys/admin.token`, generated on first serve with mode 0600 and printed once to stderr by the one
 * process that created it (several servers starting together on a fresh home create it exclusively and all read
 * the winner's). Only its sha256 is kept in memory. A token file readable by others is refused, like the issuer key.
 */
export function loadAdminTokenHash(layout: RuntimeLayout, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.ARBITER_ADMIN_TOKEN;
  if (fromEnv !== undefined) {
    if (fromEnv.trim().length < MIN_ADMIN_TOKEN)
      throw Object.assign(new Error(`ARBITER_ADMIN_TOKEN must be at least ${MIN_ADMIN_TOKEN} characters`), {
        code: 'SETTINGS_INVALID',
      });
    return tokenHash(fromEnv.trim());
  }
  const path = join(layout.keysDir(), 'admin.token');
  const { content, created } = createFileOnce(path, () => `${newToken(ADMIN_TOKEN_PREFIX)}\n`, 0o600);
  assertPrivate(path);
  const token = content.trim();
  if (token.length < MIN_ADMIN_TOKEN)
    throw Object.assign(new Error(`${path} holds no usable admin token (at least ${MIN_ADMIN_TOKEN} characters)`), {
      code: 'KEY_FILE_INVALID',
    });
  if (created) process.stderr.write(`arbiter: admin token (shown once; kept in ${path}, mode 0600): ${token}\n`);
  return tokenHash(token);
}
