import { base64url, buildPayload, type Certificate, canonicalJson, utf8 } from '../../core/cert/certificate.js';
import { evaluate } from '../../core/firewall/engine.js';
import type { Evaluation, EvaluationContext, PredictionContext, RiskContext } from '../../core/firewall/types.js';
import type { MandateLoad } from '../../core/mandate/types.js';
import type { ApprovalRecord, AuditRow, DecideState, DecisionWrite } from '../../ports/store.js';
import type { ServiceDeps } from '../deps.js';
import { auditRow } from './audit-rows.js';
import { lockedCostBasis, type MarketInputs } from './inputs.js';
import type { Session, VetOptions } from './types.js';

const DEFAULT_APPROVAL_TTL_MS = 15 * 60_000;

/** Everything a decision is made from, besides what the store reads under the lock. */
export interface DecisionInputs {
  readonly raw: unknown;
  readonly session: Session;
  readonly options: VetOptions;
  readonly now: number;
  readonly live: boolean;
  readonly mandate: MandateLoad;
  readonly mandateHash: string | undefined;
  readonly market: MarketInputs;
  /** For an outcome token: its market's state and the account's cost basis (null: unknown, refused). */
  readonly prediction?: PredictionContext | null | undefined;
  /** Inputs of the mandate's portfolio-risk limits (null when it sets none, or the book could not be read). */
  readonly risk: RiskContext | null;
  readonly fileHalts: { readonly global: boolean; readonly venue: boolean };
  readonly fileCount: number;
  readonly verdictId: string;
  readonly approvalId: string | null;
  /** The order's content hash (the approval's binding). */
  readonly orderKey: string | null;
  /** The client order id the venue will be sent, if the order is forwarded. */
  readonly venueClientOrderId: string;
  /** Vibe-Trading's order-submission lock could not be had: the order is refused (ORDER_SUBMISSION_BUSY). */
  readonly lockBusy: boolean;
  /** `per-verdict` signs every certificate; `checkpoint` (simulations) leaves it to the ledger's checkpoints. */
  readonly signing: 'per-verdict' | 'checkpoint';
}

/** What the decision made, for what comes after the store's commit. */
export interface Decided {
  ctx: EvaluationContext | null;
  evaluation: Evaluation | null;
  certificate: Certificate | null;
  /** The audit row written with the verdict (a forwarded order's is written with its venue outcome). */
  audit: AuditRow | null;
}

/**
 * The store's decide callback: evaluate on the state read under the lock, sign, and say what to write. Pure apart
 * from signing and id generation; `out` receives what was made (the callback may run again on a retry).
 */
export function decisionCallback(
  deps: Pick<ServiceDeps, 'signer' | 'hasher' | 'ids'>,
  i: DecisionInputs,
  out: Decided,
): (state: DecideState) => DecisionWrite {
  const { session, options } = i;
  const dryRun = !options.execute && !options.amend;
  return (state) => {
    const ctx: EvaluationContext = {
      now: i.now,
      agent_id: session.agentId,
      account_id: session.accountId,
      venue: session.venue,
      live: i.live,
      mandate: i.mandate,
      halts: {
        global: i.fileHalts.global || state.halts.global,
        venue: i.fileHalts.venue || state.halts.venue,
        agent: state.halts.agent,
      },
      quote: i.market.quote,
      instrument: i.market.instrument,
      account: { ...state.account, daily_count: Math.max(state.account.daily_count, i.fileCount) },
      // A human-approved execution (or the kill switch's flatten) is the operator's act, not the agent's burst.
      throttle: options.approvedBy || options.operator ? { last_second: 0, last_minute: 0 } : state.throttle,
      recent_duplicate: state.recent_duplicate,
      ...(state.client_order_id_reused ? { client_order_id_reused: true } : {}),
      market: { window_high: i.market.windowHigh, breaker_tripped: state.breaker_tripped },
      // The caps count what the store holds and has in flight under this lock, not only the venue's earlier answer.
      ...(i.prediction
        ? { prediction: state.cost_basis ? lockedCostBasis(i.prediction, state.cost_basis) : i.prediction }
        : {}),
      // The book as the store holds it under the account lock (orders decided a moment ago included); the returns
      // were read before for the book as it was then, so a symbol new to the book meanwhile has none (refused).
      ...(i.risk ? { risk: state.book ? { ...i.risk, book: state.book } : i.risk } : {}),
      ...(options.approvedBy || options.operator ? { approved_by_human: options.approvedBy ?? options.operator } : {}),
      ...(i.lockBusy ? { order_lock_busy: true } : {}),
    };
    const e = evaluate(i.raw, ctx);
    const pending = e.decision === 'PENDING_APPROVAL' && i.approvalId !== null;
    const payload = buildPayload(
      {
        id: i.verdictId,
        keyId: deps.signer.keyId,
        raw: i.raw,
        ctx,
        evaluation: e,
        dryRun,
        ...(pending && i.approvalId ? { approvalId: i.approvalId } : {}),
        ...(i.mandateHash ? { mandateHash: i.mandateHash } : {}),
      },
      (s) => deps.hasher.sha256Hex(s),
    );
    // The certificate's text is written around the payload's canonical text (no second serialisation).
    const text = canonicalJson(payload);
    const signature = i.signing === 'checkpoint' ? '' : base64url(deps.signer.sign(utf8(text)));
    const certificateJson = `{"alg":"Ed25519","payload":${text},"signature":"${signature}"}`;
    const forward = options.execute && (e.decision === 'ALLOW' || e.decision === 'ALLOW_CAPPED') && e.effective;
    // A forwarded order is audited with its venue outcome; anything else with the verdict; a dry run not at all.
    const audit =
      forward || dryRun
        ? null
        : auditRow(deps.ids.next('la'), {
            session,
            payload,
            evaluation: e,
            request: null,
            order: null,
            orderError: null,
            remoteTool: options.remoteTool ?? null,
            execute: true,
          });
    out.ctx = ctx;
    out.evaluation = e;
    out.certificate = { alg: 'Ed25519', payload, signature };
    out.audit = audit;
    return {
      verdictId: i.verdictId,
      decision: e.decision,
      certificateJson,
      reserve:
        forward && e.intent && e.effective
          ? {
              symbol: e.intent.symbol,
              side: e.intent.side,
              quantity: e.effective.quantity,
              notional: e.effective.notional,
              adds: !e.reduces,
              venueClientOrderId: i.venueClientOrderId,
            }
          : null,
      breaker: dryRun ? 'none' : e.breaker_tripped ? 'trip' : e.breaker_cleared ? 'clear' : 'none',
      approval: pending && i.approvalId ? approvalFor(i, e, i.approvalId) : null,
      audit,
    };
  };
}

function approvalFor(i: DecisionInputs, e: Evaluation, approvalId: string): ApprovalRecord | null {
  if (!e.intent || !e.effective || i.orderKey === null) return null;
  return {
    approvalId,
    verdictId: i.verdictId,
    accountId: i.session.accountId,
    agentId: i.session.agentId,
    venue: i.session.venue,
    orderHash: `sha256:${i.orderKey}`,
    intentJson: JSON.stringify(i.raw),
    notional: e.effective.notional,
    createdAt: i.now,
    expiresAt: i.now + (i.options.approvalTtlMs ?? DEFAULT_APPROVAL_TTL_MS),
  };
}
