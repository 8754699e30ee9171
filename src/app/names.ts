import { isSecretShaped } from '../core/audit/redact.js';

/** Agent, account and venue names: they appear in every verdict, listing, event and log line. */
export const NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;

/**
 * Why `name` cannot name an agent (or account), or null. A credential-shaped name is refused like a malformed one:
 * it would be signed into every certificate and shown to everyone who may read it. The problem never quotes it.
 */
export function nameProblem(what: string, name: string): string | null {
  if (!NAME.test(name)) return `${what} must match ${NAME.source}; got ${JSON.stringify(name.slice(0, 70))}`;
  if (isSecretShaped(name))
    return `${what} looks like a credential (sk-…, AKIA…, ghp_…, a JWT or a token); choose a plain name`;
  return null;
}
