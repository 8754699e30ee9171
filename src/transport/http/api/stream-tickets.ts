import { randomBytes } from 'node:crypto';
import type { Principal } from './route.js';

interface Ticket {
  readonly principal: Principal;
  readonly owner: string;
  readonly expires: number;
}

export interface StreamTicketOptions {
  /** How long a ticket may wait to be used. */
  readonly ttlMs?: number;
  /** Unused tickets one principal may hold; a new one replaces its oldest. */
  readonly perPrincipal?: number;
  /** Unused tickets in all; beyond this a new one is refused (429). */
  readonly max?: number;
  readonly now?: () => number;
}

/**
 * Single-use, short-lived tickets for the event stream. A browser's EventSource cannot send an Authorization
 * header, and a long-lived token in a URL ends up in logs and history; so the page asks for a ticket with its token
 * (POST /v1/stream/ticket) and opens `/v1/stream?ticket=…`. A ticket is random, bound to the principal that asked,
 * valid for one connection within `ttlMs`, and worthless afterwards.
 */
export class StreamTickets {
  private readonly tickets = new Map<string, Ticket>();
  readonly ttlMs: number;
  private readonly perPrincipal: number;
  private readonly max: number;
  private readonly now: () => number;

  constructor(opts: StreamTicketOptions = {}) {
    this.ttlMs = opts.ttlMs ?? 30_000;
    this.perPrincipal = opts.perPrincipal ?? 8;
    this.max = opts.max ?? 10_000;
    this.now = opts.now ?? Date.now;
  }

  get size(): number {
    return this.tickets.size;
  }

  /** A new ticket for `principal`, or null when too many are outstanding. */
  issue(principal: Principal): string | null {
    const now = this.now();
    this.sweep(now);
    const owner = principal.kind === 'admin' ? 'admin' : `agent:${principal.session.agentId}`;
    const mine = [...this.tickets].filter(([, t]) => t.owner === owner);
    if (mine.length >= this.perPrincipal) this.tickets.delete(mine[0]![0]); // Map order: the oldest first
    if (this.tickets.size >= this.max) return null;
    const ticket = `stk_${randomBytes(24).toString('base64url')}`;
    this.tickets.set(ticket, { principal, owner, expires: now + this.ttlMs });
    return ticket;
  }

  /** The principal a ticket was issued to; the ticket is spent either way. Null if unknown or expired. */
  redeem(ticket: string): Principal | null {
    const t = this.tickets.get(ticket);
    if (!t) return null;
    this.tickets.delete(ticket);
    return t.expires > this.now() ? t.principal : null;
  }

  private sweep(now: number): void {
    for (const [k, t] of this.tickets) if (t.expires <= now) this.tickets.delete(k);
  }
}
