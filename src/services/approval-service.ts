import { redact } from '../core/audit/redact.js';
import { parseIntent } from '../core/firewall/intent.js';
import type { ApprovalRow } from '../ports/store.js';
import type { ServiceDeps } from './deps.js';
import type { FirewallService, VetResult } from './firewall-service.js';

export type ApprovalDecision =
  | { readonly ok: true; readonly approval: ApprovalRow; readonly result: VetResult | null }
  | {
      readonly ok: false;
      readonly code: 'APPROVAL_NOT_FOUND' | 'APPROVAL_NOT_PENDING' | 'APPROVAL_EXPIRED' | 'APPROVAL_TAMPERED';
      readonly message: string;
    };

/**
 * An approval as every door shows it (the CLI, HTTP, the dashboard): snake_case fields, the intent as the JSON object
 * the agent sent (credential-shaped text masked), never the stored text.
 */
export function approvalView(a: ApprovalRow): Record<string, unknown> {
  let intent: unknown = null;
  try {
    intent = JSON.parse(a.intentJson);
  } catch {
    intent = null;
  }
  return {
    approval_id: a.approvalId,
    verdict_id: a.verdictId,
    agent_id: a.agentId,
    account_id: a.accountId,
    venue: a.venue,
    order_hash: a.orderHash,
    intent: redact(intent),
    notional: a.notional,
    status: a.status,
    created_at: a.createdAt,
    expires_at: a.expiresAt,
    decided_at: a.decidedAt,
    decided_by: a.decidedBy,
    result_verdict_id: a.resultVerdictId,
  };
}

/**
 * Human approval. Only out-of-band callers reach this service (the CLI, the admin HTTP endpoints, the dashboard,
 * and MCP elicitation answered by the human's client): no tool an agent can call approves anything.
 * An approved order is re-vetted against a fresh quote and executed; an expired or rejected one never is.
 */
export class ApprovalService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly firewall: FirewallService,
  ) {}

  /** Approvals, newest last; `agentId` limits them to one agent's (an agent sees only its own). */
  list(status?: ApprovalRow['status'], agentId?: string) {
    return this.deps.store.approvals({
      ...(status ? { status } : {}),
      ...(agentId ? { agentId } : {}),
    });
  }

  get(id: string) {
    return this.deps.store.approval(id);
  }

  private async record(kind: string, a: ApprovalRow, by: string, extra: Record<string, unknown> = {}): Promise<void> {
    const now = this.deps.clock.now();
    const body = JSON.stringify({
      approval_id: a.approvalId,
      verdict_id: a.verdictId,
      agent_id: a.agentId,
      by,
      ...extra,
      ts: now,
    });
    await this.deps.store.ledgerAppend(kind, a.approvalId, body, now);
    this.deps.events.publish({
      type: 'approval',
      data: { approval_id: a.approvalId, status: kind.replace('approval_', ''), by, agent_id: a.agentId, ts: now },
    });
  }

  private async expireIfDue(a: ApprovalRow): Promise<boolean> {
    if (a.status !== 'pending' || a.expiresAt > this.deps.clock.now()) return false;
    if (await this.deps.store.transitionApproval(a.approvalId, 'pending', 'expired', 'system', this.deps.clock.now()))
      await this.record('approval_expired', a, 'system');
    return true;
  }

  /**
   * Expires every pending approval past its deadline, and finishes every approval that was approved and never
   * executed (a crash between the two): run on a schedule and before listing. Returns how many it changed.
   */
  async sweep(): Promise<number> {
    let n = 0;
    for (const a of await this.deps.store.approvals({ status: 'pending' })) if (await this.expireIfDue(a)) n += 1;
    for (const a of await this.deps.store.approvals({ status: 'approved' })) {
      await this.execute(a, a.decidedBy ?? 'system');
      n += 1;
    }
    return n;
  }

  async approve(id: string, by: string): Promise<ApprovalDecision> {
    const a = await this.deps.store.approval(id);
    if (!a) return { ok: false, code: 'APPROVAL_NOT_FOUND', message: `APPROVAL_NOT_FOUND: id=${id}` };
    if (await this.expireIfDue(a))
      return { ok: false, code: 'APPROVAL_EXPIRED', message: `APPROVAL_EXPIRED: id=${id}` };
    if (a.status !== 'pending')
      return { ok: false, code: 'APPROVAL_NOT_PENDING', message: `APPROVAL_NOT_PENDING: id=${id} status=${a.status}` };
    // The approval is bound to the hash of the exact order; a changed stored intent is refused.
    const raw = JSON.parse(a.intentJson) as unknown;
    const parsed = parseIntent(raw);
    if (!parsed.ok || `sha256:${this.firewall.contentKey(parsed.intent)}` !== a.orderHash)
      return {
        ok: false,
        code: 'APPROVAL_TAMPERED',
        message: `APPROVAL_TAMPERED: id=${id} the stored order does not match its hash`,
      };
    // …and to the verdict that asked for it: the same agent, pending approval under this very id.
    const pending = await this.deps.store.verdict(a.verdictId);
    const p = pending ? (JSON.parse(pending) as { payload?: Record<string, unknown> }).payload : undefined;
    if (p?.agent_id !== a.agentId || p?.approval_id !== id || p?.decision !== 'PENDING_APPROVAL')
      return {
        ok: false,
        code: 'APPROVAL_TAMPERED',
        message: `APPROVAL_TAMPERED: id=${id} the approval does not match the verdict ${a.verdictId} that asked for it`,
      };
    if (!(await this.deps.store.transitionApproval(id, 'pending', 'approved', by, this.deps.clock.now())))
      return {
        ok: false,
        code: 'APPROVAL_NOT_PENDING',
        message: `APPROVAL_NOT_PENDING: id=${id} (decided concurrently)`,
      };
    await this.record('approval_approved', a, by);
    const result = await this.execute(a, by);
    const updated = (await this.deps.store.approval(id)) ?? a;
    return { ok: true, approval: updated, result };
  }

  /**
   * Executes an approved order once. The execution is its own verdict, bound to a key no agent can send as a
   * client order id, so a second attempt (a retry, the sweep after a crash, another instance) replays the first
   * instead of ordering again. An approval whose execution never started before it expired fails instead.
   */
  private async execute(a: ApprovalRow, by: string): Promise<VetResult | null> {
    const id = a.approvalId;
    const raw = JSON.parse(a.intentJson) as unknown;
    const session = { agentId: a.agentId, accountId: a.accountId, venue: a.venue, sessionId: `approval-${id}` };
    const options = { remoteTool: 'approval.execute', approvedBy: id } as const;
    const started = await this.firewall.vet(raw, session, { ...options, execute: false });
    let result: VetResult | null;
    if (!started.replayed && this.deps.clock.now() > a.expiresAt) result = null;
    else result = started.replayed ? started : await this.firewall.vet(raw, session, { ...options, execute: true });
    const p = result?.certificate.payload;
    const passed =
      result !== null &&
      (p?.decision === 'ALLOW' || p?.decision === 'ALLOW_CAPPED') &&
      !result.orderError &&
      result.orderState !== 'rejected_by_venue';
    const moved = await this.deps.store.transitionApproval(
      id,
      'approved',
      passed ? 'executed' : 'failed',
      by,
      this.deps.clock.now(),
      p?.id ?? null,
    );
    if (moved)
      await this.record(passed ? 'approval_executed' : 'approval_failed', a, by, {
        result_verdict_id: p?.id ?? null,
        decision: p?.decision ?? null,
        ...(result === null ? { reason: 'APPROVAL_EXPIRED: approved but not executed before it expired' } : {}),
      });
    return result;
  }

  async reject(id: string, by: string): Promise<ApprovalDecision> {
    const a = await this.deps.store.approval(id);
    if (!a) return { ok: false, code: 'APPROVAL_NOT_FOUND', message: `APPROVAL_NOT_FOUND: id=${id}` };
    if (await this.expireIfDue(a))
      return { ok: false, code: 'APPROVAL_EXPIRED', message: `APPROVAL_EXPIRED: id=${id}` };
    if (!(await this.deps.store.transitionApproval(id, 'pending', 'rejected', by, this.deps.clock.now())))
      return { ok: false, code: 'APPROVAL_NOT_PENDING', message: `APPROVAL_NOT_PENDING: id=${id} status=${a.status}` };
    await this.record('approval_rejected', a, by);
    return { ok: true, approval: (await this.deps.store.approval(id)) ?? a, result: null };
  }
}
