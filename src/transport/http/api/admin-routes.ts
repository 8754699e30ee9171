import { type ApprovalDecision, approvalView } from '../../../services/approval-service.js';
import type { HaltScope } from '../../../services/halt-service.js';
import type { Api } from './context.js';
import { HttpError } from './errors.js';
import { haltsNow } from './ledger-routes.js';
import { ownerFilter, type Routes } from './route.js';
import { approvalsQuery, haltBody, idParams, resumeBody } from './schemas.js';
import { verdictBody } from './verdict.js';

const BY = 'http:admin';

const APPROVAL_STATUS: Record<Extract<ApprovalDecision, { ok: false }>['code'], number> = {
  APPROVAL_NOT_FOUND: 404,
  APPROVAL_NOT_PENDING: 409,
  APPROVAL_EXPIRED: 409,
  APPROVAL_TAMPERED: 409,
};

function decided(d: ApprovalDecision): Record<string, unknown> {
  if (!d.ok) throw new HttpError(APPROVAL_STATUS[d.code], d.code, d.message);
  return { approval: approvalView(d.approval), result: d.result ? verdictBody(d.result) : null };
}

function scopeOf(
  b: { scope: 'global' | 'venue' | 'agent'; venue?: string | undefined; agent?: string | undefined },
  venue: string,
): HaltScope {
  if (b.scope === 'global') return { kind: 'global' };
  if (b.scope === 'venue') return { kind: 'venue', venue: b.venue ?? venue };
  if (!b.agent)
    throw new HttpError(400, 'VALIDATION_ERROR', 'body.agent: required when scope is agent', ['body.agent']);
  return { kind: 'agent', agent: b.agent };
}

/**
 * Human approvals and the kill switch. Reading needs a token (an agent sees its own approvals and the halts that
 * apply to it, the admin everything); every change needs the admin token.
 */
export function adminRoutes(r: Routes, api: Api): void {
  const { approvals, halts, ledger } = api.services;

  r.add({
    method: 'GET',
    url: '/v1/approvals',
    auth: 'reader',
    agentSees: 'its own approvals only',
    tag: 'approvals',
    summary: 'Orders waiting for (or decided by) a human; expired ones are swept first',
    query: approvalsQuery,
    responses: { 200: '{ approvals }', 401: 'no token' },
    async handler({ query, principal }) {
      await approvals.sweep();
      const owner = ownerFilter(principal);
      const rows = await approvals.list(query.status);
      return { approvals: rows.filter((a) => owner === null || a.agentId === owner).map(approvalView) };
    },
  });

  r.add({
    method: 'POST',
    url: '/v1/approvals/:id/approve',
    auth: 'admin',
    tag: 'approvals',
    summary: 'Approve a pending order: it is re-vetted against a fresh quote and executed',
    params: idParams,
    responses: {
      200: '{ approval, result } (result: the execution verdict and order)',
      401: 'no admin token',
      403: 'not the admin token',
      404: 'no such approval',
      409: 'not pending, expired, or the stored order does not match its hash',
    },
    async handler({ params }) {
      if (api.mode === 'readonly')
        throw new HttpError(403, 'READONLY_MODE', 'this server runs in readonly mode: approvals cannot execute');
      return decided(await approvals.approve(params.id, BY));
    },
  });

  r.add({
    method: 'POST',
    url: '/v1/approvals/:id/reject',
    auth: 'admin',
    tag: 'approvals',
    summary: 'Reject a pending order (it never executes)',
    params: idParams,
    responses: { 200: '{ approval }', 401: 'no admin token', 403: 'not the admin token', 404: 'no such approval' },
    async handler({ params }) {
      return decided(await approvals.reject(params.id, BY));
    },
  });

  r.add({
    method: 'GET',
    url: '/v1/halts',
    auth: 'reader',
    agentSees: 'global and venue halts and its own agent halt',
    tag: 'kill switch',
    summary: 'Halts in force: each scope with reason, by, since, its HALT file and what the switch cancelled',
    responses: { 200: '{ halted, scopes: [{ scope, reason, by, since, source, file, sweep }] }', 401: 'no token' },
    async handler({ principal }) {
      return haltsNow(api, principal);
    },
  });

  r.add({
    method: 'POST',
    url: '/v1/halt',
    auth: 'admin',
    tag: 'kill switch',
    summary:
      'Kill switch: refuse every order that adds exposure, cancel resting orders, flatten if the mandate says flatten_on_halt (global by default, or one venue / agent)',
    body: haltBody,
    responses: {
      200: '{ halted, scope, reason, by, since, halt_id, file, cancelled, flattened, approvals_rejected, sweep }',
      401: 'no admin token',
      403: 'not the admin token',
    },
    async handler({ body }) {
      const scope = scopeOf(body, api.venue);
      const answer = await halts.halt(scope, body.reason, BY);
      await ledger.checkpoint();
      return answer;
    },
  });

  r.add({
    method: 'POST',
    url: '/v1/resume',
    auth: 'admin',
    tag: 'kill switch',
    summary: 'Lift a halt (global by default); breaker: true also resets the crash breaker',
    body: resumeBody,
    responses: {
      200: '{ resumed, scope, was_halted, file_removed, breaker_reset }',
      401: 'no admin token',
      409: 'the HALT file could not be removed: trading stays halted',
    },
    async handler({ body }) {
      const scope = scopeOf(body, api.venue);
      const answer = await halts.resume(scope, BY).catch((e: Error & { code?: string }) => {
        if (e.code === 'HALT_FILE_NOT_REMOVED') throw new HttpError(409, e.code, `${e.message} — trading stays halted`);
        throw e;
      });
      if (body.breaker) await halts.resetBreaker(BY);
      await ledger.checkpoint();
      return { ...answer, breaker_reset: body.breaker };
    },
  });
}
