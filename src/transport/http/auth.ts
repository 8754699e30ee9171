import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Store } from '../../ports/store.js';

export const AGENT_TOKEN_PREFIX = 'arb_agent_';
export const ADMIN_TOKEN_PREFIX = 'arb_admin_';

export function newToken(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function bearer(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return m?.[1] ?? null;
}

/** The agent a bearer token belongs to (tokens are stored hashed), or null. */
export async function agentForToken(
  store: Store,
  token: string | null,
): Promise<{ agentId: string; accountId: string } | null> {
  if (!token?.startsWith(AGENT_TOKEN_PREFIX)) return null;
  return store.agentByToken(tokenHash(token));
}

/** Constant-time comparison of an admin token against the configured one's hash. */
export function isAdmin(token: string | null, adminTokenHash: string | null): boolean {
  if (!token || !adminTokenHash) return false;
  const a = Buffer.from(tokenHash(token), 'hex');
  const b = Buffer.from(adminTokenHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
