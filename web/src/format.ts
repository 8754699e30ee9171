export const AGENT_COLOURS = ['#60a5fa', '#f472b6', '#34d399', '#fbbf24', '#a78bfa', '#fb923c', '#22d3ee', '#f87171'];

const colours = new Map<string, string>();

/** A stable colour per agent (order of first sight). */
export function agentColour(agentId: string): string {
  let c = colours.get(agentId);
  if (!c) {
    c = AGENT_COLOURS[colours.size % AGENT_COLOURS.length]!;
    colours.set(agentId, c);
  }
  return c;
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
