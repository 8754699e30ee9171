import { redactString } from '../../../core/audit/redact.js';
import { maskedRecord } from '../../../core/ledger/mask.js';
import type { LedgerRecord } from '../../../ports/store.js';
import type { LedgerReport } from '../../../services/ledger-service.js';
import type { Api } from './context.js';
import { ownerFilter, type Principal, type Routes } from './route.js';
import { auditQuery, ledgerQuery } from './schemas.js';
import { VerifyCache } from './verify-cache.js';

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The hash-chained ledger (paged), its verification, the redacted audit log, and the status summary. */
export function ledgerRoutes(r: Routes, api: Api): void {
  const { store } = api.deps;
  const verifyCache = new VerifyCache<LedgerReport & { ms: number }>(10_000);

  r.add({
    method: 'GET',
    url: '/v1/ledger',
    auth: 'admin',
    tag: 'ledger',
    summary: 'Ledger records, cursor-paged: ?after=SEQ&limit=N (oldest first) or ?order=desc&before=SEQ',
    description:
      "Every principal's records in one chain: the operator's to read. `body` is the stored text exactly (the hash covers it); verify a record with sha256(prev_hash\\nseq\\nts\\nkind\\nref\\nbody). A record whose text holds something credential-shaped comes with it masked and `redacted: true` (check those with /v1/ledger/verify). Follow next_after (or next_before) until it is null. An agent reads its own certificates with GET /v1/verdicts/:id.",
    query: ledgerQuery,
    responses: {
      200: '{ records, next_after, next_before, head: { count, head_hash } }',
      400: 'bad cursor',
      401: 'no admin token',
      403: 'not the admin token',
    },
    async handler({ query }) {
      const head = await store.ledgerHead();
      let records: readonly LedgerRecord[];
      if (query.order === 'asc') {
        records = await store.ledgerRange(query.after + 1, query.limit);
      } else {
        const before = Math.min(query.before ?? head.count + 1, head.count + 1);
        const from = Math.max(1, before - query.limit);
        records = before > 1 ? [...(await store.ledgerRange(from, before - from))].reverse() : [];
      }
      const last = records.at(-1);
      const full = records.length === query.limit;
      return {
        records: records.map(maskedRecord),
        next_after: query.order === 'asc' && full && last ? last.seq : null,
        next_before: query.order === 'desc' && last && last.seq > 1 ? last.seq : null,
        head,
      };
    },
  });

  r.add({
    method: 'GET',
    url: '/v1/ledger/verify',
    auth: 'admin',
    tag: 'ledger',
    summary: 'Walk the whole chain and check every signed checkpoint',
    description:
      'Concurrent calls share one walk, and for 10 s the result for an unchanged ledger head is reused (`cached: true`); a new record starts a new walk.',
    responses: {
      200: '{ ok, count, head, checkpoints, problems, ms, cached }',
      401: 'no admin token',
      403: 'not the admin token',
    },
    async handler() {
      const head = await store.ledgerHead();
      const extra = api.extraCheckpoints?.() ?? [];
      const key = `${head.count}:${head.head_hash}:${extra.map((c) => `${c.count}:${c.head_hash}`).join(',')}`;
      const { result, cached } = await verifyCache.get(key, async () => {
        const t0 = performance.now();
        const { keyId, publicKey } = api.services.firewall.issuer;
        const report = await api.services.ledger.verify(publicKey, keyId, api.ed25519Verify, extra);
        return { ...report, ms: Math.round(performance.now() - t0) };
      });
      return { ...result, cached };
    },
  });

  r.add({
    method: 'GET',
    url: '/v1/audit',
    auth: 'admin',
    tag: 'ledger',
    summary:
      'The redacted audit log, newest first, filtered by agent, kind (order_placed, order_rejected, breach, vet) and time',
    query: auditQuery,
    responses: { 200: '{ records }', 401: 'no admin token', 403: 'not the admin token' },
    async handler({ query }) {
      const rows = await store.audit({
        limit: query.limit,
        ...(query.agent ? { agentId: query.agent } : {}),
        ...(query.kind ? { kind: query.kind } : {}),
        ...(query.since ? { since: new Date(query.since).toISOString() } : {}),
        ...(query.until ? { until: new Date(query.until).toISOString() } : {}),
      });
      return { records: rows.map((row) => ({ ...row, body: parseBody(row.body) })) };
    },
  });

  r.add({
    method: 'GET',
    url: '/v1/summary',
    auth: 'reader',
    agentSees: 'the halts that apply to it and its own open approvals; the counts are server-wide (as on /metrics)',
    tag: 'status',
    summary: 'What the dashboard header shows: counts since start, ledger head, halts, open approvals, issuer',
    responses: { 200: '{ counts, ledger, halts, approvals_open, issuer, venue, mode, market, now }', 401: 'no token' },
    async handler({ principal }) {
      const owner = ownerFilter(principal);
      const [ledger, halts, pending] = await Promise.all([
        store.ledgerHead(),
        haltsNow(api, principal),
        store.approvals({ status: 'pending' }),
      ]);
      return {
        counts: api.metrics.summary(),
        ledger,
        halts,
        approvals_open: owner === null ? pending.length : pending.filter((a) => a.agentId === owner).length,
        issuer: api.services.firewall.issuer.keyId,
        venue: api.venue,
        mode: api.mode,
        market: api.deps.market.name,
        now: api.deps.clock.now(),
      };
    },
  });
}

/**
 * Halts in force (the kill switch's own view: store records, rows and this root's HALT files). An agent sees the
 * global and venue halts and its own agent halt, never another agent's; reasons are masked if credential-shaped.
 */
export async function haltsNow(api: Api, principal: Principal | null) {
  const owner = ownerFilter(principal);
  const status = await api.services.halts.status(api.venue);
  const scopes = status.scopes
    .filter((h) => owner === null || !h.scope.startsWith('agent:') || h.scope === `agent:${owner}`)
    .map((h) => ({ ...h, reason: redactString(h.reason), by: redactString(h.by) }));
  return { halted: status.halted, scopes };
}
