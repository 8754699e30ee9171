import { type IsoInstant, parseIsoInstant } from './iso-time.js';
import type { ConsentMeta } from './types.js';

/** Consent times are read on every verdict: each spelling is remembered with what it read as (a few hundred). */
const readings = new Map<string, IsoInstant | null>();
function read(text: string): IsoInstant | null {
  let r = readings.get(text);
  if (r === undefined) {
    r = parseIsoInstant(text);
    if (readings.size >= 256) readings.clear();
    readings.set(text, r);
  }
  return r;
}

/** Python's `now >= when` for epoch milliseconds `now` against an instant with microseconds. */
export function reached(now: number, when: IsoInstant): boolean {
  return now - when.ms >= when.us / 1000;
}

export type ConsentState =
  | { readonly valid: true; readonly expires: IsoInstant }
  /** `field` could not be read (Vibe-Trading: expired), or the consent has expired. */
  | { readonly valid: false; readonly field: 'created_at' | 'expires_at'; readonly unreadable: boolean };

/**
 * Whether a mandate's consent still holds at `now`, read as Vibe-Trading reads it: `datetime.fromisoformat`, no
 * zone = UTC, expired from `expires_at` on. A time that cannot be read voids the consent (fail-closed); Arbiter
 * applies that to `created_at` too, which Vibe-Trading never reads.
 */
export function consentState(consent: ConsentMeta, now: number): ConsentState {
  if (read(consent.created_at) === null) return { valid: false, field: 'created_at', unreadable: true };
  const expires = read(consent.expires_at);
  if (expires === null) return { valid: false, field: 'expires_at', unreadable: true };
  if (reached(now, expires)) return { valid: false, field: 'expires_at', unreadable: false };
  return { valid: true, expires };
}
