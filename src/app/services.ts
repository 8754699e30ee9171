import { nodeEd25519Verify } from '../adapters/crypto/node-signer.js';
import { consentState } from '../core/mandate/consent.js';
import { listedPredictionViews } from '../core/prediction/board.js';
import { ApprovalService } from '../services/approval-service.js';
import type { Session } from '../services/firewall-service.js';
import { LimitsService } from '../services/limits-service.js';
import { OrderService } from '../services/order-service.js';
import { RiskService } from '../services/risk/risk-service.js';
import type { McpContext, McpMode } from '../transport/mcp/context.js';
import { haltService } from './commands/halt.js';
import type { AppContext } from './context.js';

/** The use-case services over one wired context. */
export function buildServices(app: AppContext) {
  const orders = new OrderService(app.deps, app.firewall);
  const approvals = new ApprovalService(app.deps, app.firewall);
  const limits = new LimitsService(app.deps);
  const halts = haltService(app);
  const risk = new RiskService(app.deps);
  return { firewall: app.firewall, orders, approvals, limits, halts, ledger: app.ledger, risk };
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
    verdict: (id) => app.deps.store.verdict(id),
    ed25519Verify: nodeEd25519Verify,
    now: () => app.deps.clock.now(),
    elicitApprovals: process.env.ARBITER_ELICIT_APPROVALS === '1',
    risk: services.risk,
    ...predictionsOf(app),
  };
}

/** list_markets' source: the paper venue's synthetic markets, or the markets the venue's own data lists. */
function predictionsOf(app: AppContext): Pick<McpContext, 'predictions'> {
  if (app.settings.venue === 'paper') return { predictions: async () => listedPredictionViews(app.deps.clock.now()) };
  const market = app.deps.market;
  return market.predictionMarkets ? { predictions: () => market.predictionMarkets!() } : {};
}

/** Live mode refuses to start without a valid, unexpired mandate. */
export function assertLiveMandate(app: AppContext, venue: string): void {
  const m = app.deps.mandates.load(venue);
  if (!m.ok)
    throw Object.assign(new Error(`live mode needs a valid mandate: ${m.message}`), { code: 'MANDATE_REQUIRED' });
  const consent = consentState(m.mandate.consent, app.deps.clock.now());
  if (!consent.valid)
    throw Object.assign(
      new Error(
        `live mode needs an unexpired mandate (${consent.field} ${JSON.stringify(m.mandate.consent[consent.field])} ${consent.unreadable ? 'is not an ISO 8601 time' : 'has passed'})`,
      ),
      { code: 'MANDATE_EXPIRED' },
    );
}

/**
 * Keeps the firewall's view of accounts current: resting paper orders are processed, orders whose fate is not
 * known (a crash between verdict and venue, a timeout) are resolved with the venue once they are older than
 * `ARBITER_RECOVER_AFTER_MS`, every known account's recent orders are settled and a view of it is applied.
 */
export function startReconciler(app: AppContext, services: Services, everyMs = 2_000): () => void {
  let running = false;
  const recoverAfter = app.settings.recoverAfterMs;
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
          await services.firewall.forwarder.recover(accountId, name, venue, recoverAfter).catch(() => 0);
          const session = { agentId: 'reconciler', accountId, venue: name, sessionId: 'reconciler' };
          for (const o of await venue.orderHistory(accountId, 50).catch(() => []))
            await services.orders.settle(session, o).catch(() => undefined);
          await services.firewall.views.reconcile(accountId, venue).catch(() => undefined);
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
