/** One halt in force, as GET /v1/halts and /v1/summary send it. */
export interface HaltScopeView {
  scope: string;
  reason: string;
  by?: string;
  since?: string;
  ts?: number;
  source?: 'arbiter' | 'file' | 'store';
  file?: { path: string; kind: string | null } | null;
  sweep?: { cancelled: number; flattened: number; approvals_rejected: number } | null;
}

export interface Halts {
  halted: boolean;
  scopes: HaltScopeView[];
}

/** `global` → "everywhere", `venue:arena` → "venue arena", `agent:alice` → "agent alice". */
export function scopeLabel(scope: string): string {
  if (scope === 'global') return 'everywhere';
  const i = scope.indexOf(':');
  return i > 0 ? `${scope.slice(0, i)} ${scope.slice(i + 1)}` : scope;
}

/**
 * The banner's headline and sentence. The sentence is the promise the kill switch keeps (tested in a browser
 * against a running server): orders that add exposure are refused where it applies, cancels and reductions pass.
 */
export function haltSentence(h: Halts): { title: string; sentence: string } | null {
  if (h.scopes.length === 0) return null;
  const global = h.scopes.some((s) => s.scope === 'global');
  const where = global ? '' : ` for ${h.scopes.map((s) => scopeLabel(s.scope)).join(', ')}`;
  return {
    title: global ? 'TRADING HALTED' : 'PARTLY HALTED',
    sentence: `Every order that adds exposure is refused${where}; cancelling and orders that reduce a position still pass.`,
  };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** What the switch did when it was pulled, in words ("cancelled 2 resting orders, flattened 1 position"). */
export function sweepText(s: HaltScopeView['sweep']): string {
  if (!s) return 'nothing swept yet';
  const parts = [
    `cancelled ${plural(s.cancelled, 'resting order', 'resting orders')}`,
    `flattened ${plural(s.flattened, 'position', 'positions')}`,
  ];
  if (s.approvals_rejected > 0)
    parts.push(`rejected ${plural(s.approvals_rejected, 'waiting approval', 'waiting approvals')}`);
  return parts.join(', ');
}

/** "since 14:03:11" (local time) from the halt's `since` (ISO) or `ts`. */
export function sinceText(s: HaltScopeView): string {
  const ms = s.since ? Date.parse(s.since) : (s.ts ?? Number.NaN);
  if (!Number.isFinite(ms) || ms <= 0) return 'since: unknown';
  return `since ${new Date(ms).toLocaleString([], { hour12: false })}`;
}
