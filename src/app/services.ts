import { nodeEd25519Verify } from '../adapters/crypto/node-signer.js';
import { ApprovalService } from '../services/approval-service.js';
import type { Session } from '../services/firewall-service.js';
import { LimitsService } from '../services/limits-service.js';
import { OrderService } from '../services/order-service.js';
import type { McpContext, McpMode } from '../transport/mcp/context.js';
import { haltService } from './commands/halt.js';
import type { AppContext } from './context.js';

/** The use-case services over one wired context. */
export function buildServices(app: AppContext) {
  const orders = new OrderService(app.deps, app.firewall);
  const approvals = new ApprovalService(app.deps, app.firewall);
  const limits = new LimitsService(app.deps);
  const halts = haltService(app);
  return { firewall: app.firewall, orders, approvals, limits, halts, ledger: app.ledger };
}

export type Services = ReturnType<typeof buildServices>;

export function mcpContext(app: AppContext, services: Services, session: Session, mode: McpMode): McpContext {
  return {
    session,
    mode,
    firewall: services.firewall,
    orders: services.orders,
    approvals: services.approvals,
    limits: services.limits,
    market: app.deps.market,
    venue: mode === 'readonly' ? null : (app.deps.venues.get(session.venue) ?? null),
    mandate: () => app.deps.mandates.load(session.venue),
    ledgerHead: () => app.deps.store.ledgerHead(),
    ed25519Verify: nodeEd25519Verify,
    now: () => app.deps.clock.now(),
    elicitApprovals: process.env.ARBITER_ELICIT_APPROVALS === '1',
  };
}

/** Live mode refuses to start without a valid, unexpired mandate. */
export function assertLiveMandate(app: AppContext, venue: string): void {
  const m = app.deps.mandates.load(venue);
  if (!m.ok)
    throw Object.assign(new Error(`live mode needs a valid mandate: ${m.message}`), { code: 'MANDATE_REQUIRED' });
  if (!(Date.parse(m.mandate.consent.expires_at) > app.deps.clock.now()))
    throw Object.assign(new Error(`live mode needs an unexpired mandate (expired ${m.mandate.consent.expires_at})`), {
      code: 'MANDATE_EXPIRED',
    });
}

/**
 * Keeps the firewall's view of accounts current: resting paper orders are processed and every known account is
 * re-synced from its venue (equity, positions), including orders filled while nobody was calling.
 */
export function startReconciler(app: AppContext, services: Services, everyMs = 2_000): () => void {
  let running = false;
  const firstSeen = new Map<string, number>();
  const recoverAfter = Number(process.env.ARBITER_RECOVER_AFTER_MS ?? 30_000);
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      for (const [name, venue] of app.deps.venues) {
        const paper = venue as { tick?: () => Promise<void> };
        if (paper.tick) await paper.tick();
        const accounts = new Set((await app.deps.store.listDocs(name)).map((d) => d.key));
        for (const a of await app.deps.store.agents()) accounts.add(a.accountId);
        for (const accountId of accounts) {
          const session = { agentId: 'reconciler', accountId, venue: name, sessionId: 'reconciler' };
          await recoverForwarding(app, services, session, venue, firstSeen, recoverAfter);
          for (const o of await venue.orderHistory(accountId, 50).catch(() => []))
            await services.orders.settle(session, o).catch(() => undefined);
          const sync = await services.firewall.accountSync(accountId, venue).catch(() => null);
          if (sync) await app.deps.store.syncAccount(accountId, sync, app.deps.clock.now());
        }
      }
      await services.approvals.sweep();
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick().catch(() => undefined), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * An instance that dies between "decided" and "venue answered" leaves an order in `forwarding` with no outcome.
 * Once it has stayed so for `recoverAfterMs` (longer than any venue call), its outcome is taken from the venue by
 * client order id — never by sending it again: found → its real state; not found → it never arrived (failed,
 * reservation and count released).
 */
async function recoverForwarding(
  app: AppContext,
  services: Services,
  session: Session,
  venue: import('../ports/venue.js').Venue,
  firstSeen: Map<string, number>,
  recoverAfterMs: number,
): Promise<void> {
  const now = app.deps.clock.now();
  for (const u of await app.deps.store.unresolvedOrders(session.accountId)) {
    const seen = firstSeen.get(u.verdictId) ?? now;
    firstSeen.set(u.verdictId, seen);
    if (now - seen < recoverAfterMs) continue;
    const order = await venue.orderByClientId(session.accountId, u.clientOrderId).catch(() => undefined);
    if (order === undefined) continue; // venue unreachable: try again later
    const sync = await services.firewall.accountSync(session.accountId, venue).catch(() => undefined);
    const outcome = order
      ? {
          kind: 'accepted' as const,
          venueOrderId: order.orderId,
          status: order.status,
          filledQuantity: order.filledQuantity,
          avgPrice: order.avgFillPrice,
          done: ['filled', 'cancelled', 'rejected', 'expired'].includes(order.status),
        }
      : { kind: 'failed' as const, code: 'NEVER_REACHED_VENUE', message: 'recovered: the venue has no such order' };
    await app.deps.store.recordOrderOutcome(u.verdictId, outcome, now, sync);
    firstSeen.delete(u.verdictId);
  }
}
