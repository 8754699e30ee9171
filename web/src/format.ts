import { hashedColour, rosterColours } from './colours.js';

let roster = new Map<string, string>();

/** The agents drawn together (the arena's): they get distinct colours, each derived from the roster's ids. */
export function setAgentRoster(ids: Iterable<string>): void {
  roster = rosterColours(ids);
}

/** An agent's colour: from its id (and the roster's ids), the same on every reload. */
export function agentColour(agentId: string): string {
  return roster.get(agentId) ?? hashedColour(agentId);
}

const usd0 = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const usd2 = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 2 });

export const usd = (x: number | null | undefined, digits: 0 | 2 = 2) =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : (digits === 0 ? usd0 : usd2).format(x);

export const num = (x: number | null | undefined, digits = 2) =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits);

export const pct = (x: number | null | undefined, digits = 2, signed = false) =>
  x === null || x === undefined || !Number.isFinite(x)
    ? '—'
    : `${signed && x > 0 ? '+' : ''}${(x * 100).toFixed(digits)}%`;

export const qty = (x: number) => (Math.abs(x) >= 1 ? x.toFixed(3) : x.toPrecision(3));

export const time = (ms: number) =>
  new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

export const dateTime = (ms: number) =>
  new Date(ms).toLocaleString([], {
    year: 'numeric',
    month: 'short',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * When an event happened, from its own timestamp: the time of day for today's events, the date and minute for
 * older ones (the arena replays past candles, and its verdicts carry the replayed time).
 */
export function eventStamp(ms: number, now = Date.now()): string {
  const d = new Date(ms);
  const today = new Date(now);
  if (d.toDateString() === today.toDateString()) return time(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export const short = (s: string, n = 10) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** Decision → CSS class: allow, capped, reject, pending, pause. */
export function decisionClass(decision: string): string {
  switch (decision) {
    case 'ALLOW':
      return 'allow';
    case 'ALLOW_CAPPED':
      return 'capped';
    case 'PENDING_APPROVAL':
      return 'pending';
    case 'PAUSE_FOR_REAUTH':
      return 'pause';
    default:
      return 'reject';
  }
}

export const decisionLabel = (d: string) =>
  ({
    ALLOW: 'allow',
    ALLOW_CAPPED: 'capped',
    REJECT: 'reject',
    PENDING_APPROVAL: 'pending',
    PAUSE_FOR_REAUTH: 'pause',
  })[d] ?? d.toLowerCase();
