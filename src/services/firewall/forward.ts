import type { CertificatePayload } from '../../core/cert/certificate.js';
import { parseIntent } from '../../core/firewall/intent.js';
import type { Evaluation, NormalizedIntent } from '../../core/firewall/types.js';
import { answerForError, type OrderState, type VenueAnswer } from '../../core/order/lifecycle.js';
import type { AuditRow, StoredOrder } from '../../ports/store.js';
import { type Venue, VenueError, type VenueOrder, type VenueOrderRequest } from '../../ports/venue.js';
import type { ServiceDeps } from '../deps.js';
import { auditRow, mirrorAudit } from './audit-rows.js';
import type { Session } from './types.js';
import { type AccountViews, orderAnswer } from './views.js';

export interface ForwardResult {
  readonly order: VenueOrder | null;
  readonly error: { readonly code: string; readonly message: string } | null;
  /** The order's state as recorded: `unknown` when the venue did not answer. */
  readonly state: OrderState;
}

/** What the audit row of a forwarded order is made from. */
export interface ForwardAudit {
  readonly payload: CertificatePayload;
  readonly evaluation: Evaluation | null;
  readonly remoteTool: string | null;
}

/**
 * The order a verdict allowed, as the venue is sent it (sized at the effective quantity). `sizedAt`: for a
 * prediction-market outcome token, the price the firewall sized the order at; a market order on one is sent as an
 * immediate-or-cancel (or fill-or-kill, if it was one) limit at that price, so a walk up a thin book never pays more than the verdict allowed (the
 * cost-basis caps bound what is paid for shares).
 */
export function venueRequest(
  session: Session,
  intent: NormalizedIntent,
  quantity: number,
  clientOrderId: string,
  sizedAt: number | null = null,
): VenueOrderRequest {
  const capped = sizedAt !== null && intent.type === 'market';
  return {
    accountId: session.accountId,
    clientOrderId,
    symbol: intent.symbol,
    side: intent.side,
    type: capped ? 'limit' : intent.type,
    quantity,
    limitPrice: capped ? sizedAt : intent.limit_price,
    timeInForce: capped && intent.time_in_force !== 'FOK' ? 'IOC' : intent.time_in_force,
    reduceOnly: intent.reduce_only,
    leverage: intent.leverage,
  };
}

/**
 * Sends vetted orders and records what the venue said, by the order lifecycle, with a view of the account taken
 * after the answer. An order is never sent twice: a timeout or an unreachable venue is resolved by asking the
 * venue for the client order id, and until it answers the order stays `unknown`, keeping its reservation and its
 * count. An order not sent before its deadline is not sent at all (so crash recovery, which waits longer than the
 * deadline, can trust a venue that has never seen it).
 */
export class OrderForwarder {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly views: AccountViews,
    private readonly sendDeadlineMs: number,
  ) {}

  async forward(
    session: Session,
    verdictId: string,
    decidedAt: number,
    request: VenueOrderRequest,
    audit: ForwardAudit,
  ): Promise<ForwardResult> {
    const d = this.deps;
    const venue = d.venues.get(session.venue);
    let order: VenueOrder | null = null;
    let error: { code: string; message: string } | null = null;
    let answer: VenueAnswer;
    if (!venue) {
      error = { code: 'VENUE_UNAVAILABLE', message: `VENUE_UNAVAILABLE: venue=${session.venue}` };
      answer = answerForError(error.code, error.message);
    } else if (!audit.evaluation?.reduces && (await this.haltedNow(session))) {
      // Decided just before the kill switch was pulled: an order that adds exposure is not sent after it.
      error = { code: 'HALTED_BEFORE_SEND', message: `HALTED_BEFORE_SEND: venue=${session.venue}` };
      answer = { kind: 'refused', ...error };
    } else if (d.clock.now() - decidedAt > this.sendDeadlineMs) {
      error = {
        code: 'SEND_DEADLINE_PASSED',
        message: `SEND_DEADLINE_PASSED: decided_at=${decidedAt} deadline_ms=${this.sendDeadlineMs}`,
      };
      answer = { kind: 'refused', ...error };
    } else {
      try {
        order = await venue.placeOrder(request);
        answer = orderAnswer(order);
      } catch (e) {
        error = {
          code: e instanceof VenueError ? e.code : 'UNKNOWN',
          message: e instanceof Error ? e.message.slice(0, 300) : String(e),
        };
        answer = answerForError(error.code, error.message);
        if (answer.kind === 'no_answer') {
          // The venue may have the order: ask for it by client order id, never send it again.
          const found = await venue.orderByClientId(session.accountId, request.clientOrderId).catch(() => null);
          if (found) {
            order = found;
            answer = orderAnswer(found);
            error = null;
          }
        }
      }
    }
    const view = venue ? await this.views.take(session.accountId, venue).catch(() => undefined) : undefined;
    const row = auditRow(d.ids.next('la'), { session, ...audit, request, order, orderError: error, execute: true });
    const change = await d.store.recordOrderOutcome(verdictId, answer, d.clock.now(), view, row);
    mirrorAudit(this.deps.audit, row);
    this.publish(session, verdictId, order);
    return { order, error, state: change.status };
  }

  /** Whether a halt now covers the session (the runtime root's files, or the store's records). */
  private async haltedNow(session: Session): Promise<boolean> {
    const files = this.deps.sentinels.fileHalts(session.venue);
    if (files.global || files.venue) return true;
    const scopes = new Set(['global', `venue:${session.venue}`, `agent:${session.agentId}`]);
    return (await this.deps.store.halts()).some((h) => scopes.has(h.scope));
  }

  private publish(session: Session, verdictId: string, order: VenueOrder | null): void {
    if (!order) return;
    const events = this.deps.events;
    events.publish({ type: 'order', data: { verdict_id: verdictId, agent_id: session.agentId, ...order } });
    for (const f of order.fills)
      events.publish({
        type: 'fill',
        data: { verdict_id: verdictId, agent_id: session.agentId, symbol: order.symbol, side: order.side, ...f },
      });
  }

  /**
   * Crash recovery and unknown orders: every order of the account whose fate the venue has not told (or whose
   * audit row is missing), untouched for `olderThanMs`, is looked up at the venue by client order id — never sent
   * again. Found: its state is recorded. Not found: it never reached the venue (its deadline has passed, so it
   * never will). The venue unreachable: it stays as it is, for the next round. Returns how many were resolved.
   */
  async recover(accountId: string, venueName: string, venue: Venue, olderThanMs: number): Promise<number> {
    const d = this.deps;
    const due = await d.store.unresolvedOrders(accountId, d.clock.now() - olderThanMs);
    let resolved = 0;
    for (const o of due) {
      let found: VenueOrder | null;
      try {
        found = await venue.orderByClientId(accountId, o.clientOrderId);
      } catch {
        continue; // no answer: stays unknown
      }
      const answer: VenueAnswer = found
        ? orderAnswer(found)
        : { kind: 'not_found', code: 'NEVER_REACHED_VENUE', message: 'recovered: the venue has no such order' };
      const audit = await this.recoveredAudit(o, venueName, found);
      const view = await this.views.take(accountId, venue).catch(() => undefined);
      const change = await d.store.recordOrderOutcome(o.verdictId, answer, d.clock.now(), view, audit ?? undefined);
      if (audit) mirrorAudit(this.deps.audit, audit);
      if (change.changed) resolved += 1;
    }
    return resolved;
  }

  /** The audit row a recovered order gets: the same record any outcome gets, rebuilt from its certificate. */
  private async recoveredAudit(o: StoredOrder, venueName: string, found: VenueOrder | null): Promise<AuditRow | null> {
    const text = await this.deps.store.verdict(o.verdictId);
    if (text === null) return null;
    const payload = (JSON.parse(text) as { payload: CertificatePayload }).payload;
    const session: Session = { agentId: o.agentId, accountId: o.accountId, venue: venueName, sessionId: 'recovery' };
    const parsed = parseIntent(payload.intent);
    const request =
      parsed.ok && payload.effective
        ? venueRequest(
            session,
            parsed.intent,
            payload.effective.quantity,
            o.clientOrderId,
            payload.context.instrument?.kind === 'prediction' ? payload.effective.price : null,
          )
        : null;
    const orderError = found ? null : { code: 'NEVER_REACHED_VENUE', message: 'the venue has no such order' };
    return auditRow(this.deps.ids.next('la'), {
      session,
      payload,
      evaluation: null,
      request,
      order: found,
      orderError,
      remoteTool: 'recovery',
      execute: true,
    });
  }
}
