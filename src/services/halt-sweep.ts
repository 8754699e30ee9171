import type { HaltScope } from '../core/halt/switch.js';
import type { Venue } from '../ports/venue.js';
import type { ApprovalService } from './approval-service.js';
import type { ServiceDeps } from './deps.js';
import type { FirewallService, Session } from './firewall-service.js';
import { type OrderService, OrderServiceError } from './order-service.js';

/** What the switch did on one venue (or in one arena) when it was pulled. */
export interface SweepReport {
  /** `venue:<name>` for a venue this process trades on, `arena:<run id>` for an arena it runs. */
  readonly target: string;
  /** Resting orders cancelled. */
  readonly cancelled: number;
  /** Positions closed by reduce-only market orders (signed verdicts, recorded). */
  readonly flattened: number;
  /** Whether the mandate asked for flattening (`flatten_on_halt`). */
  readonly flatten_on_halt: boolean;
  /** Orders waiting for a human that would add exposure, rejected (they were never executed). */
  readonly approvals_rejected: number;
  /** What could not be done, one line each (`CODE: key=value …`). */
  readonly failures: readonly string[];
  /** In an arena: the bar and the market time (ms) the switch acted at. */
  readonly at?: { readonly bar: number; readonly ts: number };
}

export interface Account {
  readonly accountId: string;
  /** The agent the account belongs to (the flatten verdicts are made in its name, as the switch's act). */
  readonly agentId: string;
}

/** Sums sweep reports into the numbers the halt's answer, its ledger record and its event carry. */
export function sweepTotals(reports: readonly SweepReport[]) {
  return {
    cancelled: reports.reduce((n, r) => n + r.cancelled, 0),
    flattened: reports.reduce((n, r) => n + r.flattened, 0),
    approvals_rejected: reports.reduce((n, r) => n + r.approvals_rejected, 0),
  };
}

const SWEEP_SESSION = 'kill-switch';
const FLATTEN_TOOL = 'halt.flatten';
/** A reduce-only market order can fill in parts: a position is tried this many times before it is a failure. */
const FLATTEN_TRIES = 3;

/**
 * The switch's action on the venues this process trades on (what Vibe-Trading's runner does when it sees a trip):
 * cancel every resting order in scope first (a resting order could fill against the close and re-open exposure),
 * then, when the venue's mandate has `flatten_on_halt`, close every position with reduce-only market orders that
 * go through the firewall like any order, and reject approvals still waiting that would add exposure.
 */
export class HaltSweep {
  constructor(
    private readonly deps: Pick<ServiceDeps, 'store' | 'venues' | 'mandates' | 'clock'>,
    private readonly orders: OrderService,
    private readonly firewall: FirewallService,
    private readonly approvals: ApprovalService,
    /** The account a session without a token uses (stdio MCP, the CLI), and its agent. */
    private readonly local: Account,
  ) {}

  /** The venues a scope reaches among those this process trades on. */
  venuesIn(scope: HaltScope): string[] {
    const names = [...this.deps.venues.keys()];
    return scope.kind === 'venue' ? names.filter((v) => v === scope.venue) : names;
  }

  /** Every account known on a venue (the venue's own records, every registered agent, the local account). */
  async accounts(venue: string, scope: HaltScope): Promise<Account[]> {
    const owners = new Map<string, string>();
    for (const a of await this.deps.store.agents()) if (!owners.has(a.accountId)) owners.set(a.accountId, a.agentId);
    if (!owners.has(this.local.accountId)) owners.set(this.local.accountId, this.local.agentId);
    const ids = new Set(owners.keys());
    for (const d of await this.deps.store.listDocs(venue).catch(() => [])) ids.add(d.key);
    const all = [...ids].map((accountId) => ({ accountId, agentId: owners.get(accountId) ?? SWEEP_SESSION }));
    if (scope.kind !== 'agent') return all;
    const mine = new Set(
      (await this.deps.store.agents()).filter((a) => a.agentId === scope.agent).map((a) => a.accountId),
    );
    if (scope.agent === this.local.agentId) mine.add(this.local.accountId);
    return all.filter((a) => mine.has(a.accountId));
  }

  private session(venue: string, a: Account, haltId: string): Session {
    return { agentId: a.agentId, accountId: a.accountId, venue, sessionId: `${SWEEP_SESSION}:${haltId}` };
  }

  /**
   * Cancels resting orders of the accounts in scope. `onlyAdding`: leave reduce-only orders (placed while halted,
   * they can only shrink a position) and cancel only what could add exposure.
   */
  async cancelResting(
    venueName: string,
    venue: Venue,
    accounts: readonly Account[],
    haltId: string,
    onlyAdding: boolean,
    failures: string[],
  ): Promise<number> {
    let n = 0;
    for (const a of accounts) {
      let open: readonly { orderId: string; reduceOnly: boolean }[];
      try {
        open = await venue.openOrders(a.accountId);
      } catch (e) {
        failures.push(`OPEN_ORDERS_UNREADABLE: venue=${venueName} account=${a.accountId} ${(e as Error).message}`);
        continue;
      }
      for (const o of open) {
        if (onlyAdding && o.reduceOnly) continue;
        try {
          // The switch is the operator's act: it cancels every agent's resting orders on the account.
          await this.orders.cancelAsOperator(this.session(venueName, a, haltId), o.orderId);
          n += 1;
        } catch (e) {
          // An order that filled or went away meanwhile is not resting any more: nothing to cancel.
          if (e instanceof OrderServiceError && e.code === 'ORDER_NOT_FOUND') continue;
          failures.push(`CANCEL_FAILED: venue=${venueName} order=${o.orderId} ${(e as Error).message}`);
        }
      }
    }
    return n;
  }

  /** Closes every position of the accounts in scope; each order is vetted (a reduction passes a halt). */
  private async flatten(
    venueName: string,
    venue: Venue,
    accounts: readonly Account[],
    haltId: string,
    by: string,
    failures: string[],
  ): Promise<number> {
    const closed = new Set<string>();
    for (const a of accounts) {
      const session = this.session(venueName, a, haltId);
      for (let attempt = 1; attempt <= FLATTEN_TRIES; attempt++) {
        let positions: readonly { symbol: string; quantity: number }[];
        try {
          positions = (await venue.positions(a.accountId)).filter((p) => p.quantity !== 0);
        } catch (e) {
          failures.push(`POSITIONS_UNREADABLE: venue=${venueName} account=${a.accountId} ${(e as Error).message}`);
          break;
        }
        if (positions.length === 0) break;
        if (attempt === FLATTEN_TRIES) {
          for (const p of positions)
            failures.push(`NOT_FLAT: venue=${venueName} account=${a.accountId} symbol=${p.symbol} qty=${p.quantity}`);
          break;
        }
        for (const p of positions) {
          const intent = {
            symbol: p.symbol,
            side: p.quantity > 0 ? 'sell' : 'buy',
            quantity: Math.abs(p.quantity),
            type: 'market',
            reduce_only: true,
            // One id per halt, position and attempt: a second instance sweeping the same halt replays, never re-sends.
            client_order_id: `${haltId}.${attempt}.${p.symbol.replace(/[^A-Za-z0-9]+/g, '-')}`.slice(0, 64),
          };
          const r = await this.firewall.vet(intent, session, {
            execute: true,
            remoteTool: FLATTEN_TOOL,
            // The human (or watchdog) who pulled the switch authorised closing under the mandate's flatten_on_halt.
            operator: `halt:${by}`,
          });
          const p0 = r.certificate.payload;
          if (!['ALLOW', 'ALLOW_CAPPED'].includes(p0.decision) || r.orderError) {
            const why = r.orderError ? `${r.orderError.code}` : p0.reasons.map((x) => x.code).join(',');
            failures.push(`FLATTEN_REFUSED: venue=${venueName} account=${a.accountId} symbol=${p.symbol} ${why}`);
          } else if ((r.order?.filledQuantity ?? 0) > 0) closed.add(`${a.accountId}\n${p.symbol}`);
        }
      }
    }
    return closed.size;
  }

  /** Pending approvals in scope that would add exposure (anything not marked reduce-only) are rejected. */
  private async rejectApprovals(scope: HaltScope, venue: string, by: string, failures: string[]): Promise<number> {
    let n = 0;
    for (const ap of await this.approvals.list('pending')) {
      if (ap.venue !== venue) continue;
      if (scope.kind === 'agent' && ap.agentId !== scope.agent) continue;
      let reduceOnly = false;
      try {
        reduceOnly = (JSON.parse(ap.intentJson) as { reduce_only?: unknown }).reduce_only === true;
      } catch {
        reduceOnly = false;
      }
      if (reduceOnly) continue;
      const d = await this.approvals.reject(ap.approvalId, `halt:${by}`);
      if (d.ok) n += 1;
      else if (d.code !== 'APPROVAL_NOT_PENDING' && d.code !== 'APPROVAL_EXPIRED') failures.push(d.message);
    }
    return n;
  }

  /** The whole action on one venue: cancel, flatten (if the mandate says so), reject waiting approvals. */
  async sweep(scope: HaltScope, venueName: string, haltId: string, by: string): Promise<SweepReport> {
    const failures: string[] = [];
    const venue = this.deps.venues.get(venueName);
    const load = this.deps.mandates.load(venueName);
    const flattenOnHalt = load.ok && load.mandate.flatten_on_halt;
    if (!venue)
      return {
        target: `venue:${venueName}`,
        cancelled: 0,
        flattened: 0,
        flatten_on_halt: flattenOnHalt,
        approvals_rejected: 0,
        failures,
      };
    const accounts = await this.accounts(venueName, scope);
    let cancelled = await this.cancelResting(venueName, venue, accounts, haltId, false, failures);
    const flattened = flattenOnHalt ? await this.flatten(venueName, venue, accounts, haltId, by, failures) : 0;
    // A decision made just before the switch may have reached the venue during the first pass.
    cancelled += await this.cancelResting(venueName, venue, accounts, haltId, true, failures);
    const approvalsRejected = await this.rejectApprovals(scope, venueName, by, failures);
    return {
      target: `venue:${venueName}`,
      cancelled,
      flattened,
      flatten_on_halt: flattenOnHalt,
      approvals_rejected: approvalsRejected,
      failures,
    };
  }
}
