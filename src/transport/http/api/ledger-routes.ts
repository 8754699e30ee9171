import type { LedgerRecord } from '../../../ports/store.js';
import type { Api } from './context.js';
import type { Routes } from './route.js';
import { auditQuery, ledgerQuery } from './schemas.js';

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

  r.add({
    method: 'GET',
    url: '/v1/ledger',
    auth: 'none',
    tag: 'ledger',
    summary: 'Ledger records, cursor-paged: ?after=SEQ&limit=N (oldest first) or ?order=desc&before=SEQ',
    description:
      '`body` is the stored text exactly (the hash covers it); verify a record with sha256(prev_hash\\nseq\\nts\\nkind\\nref\\nbody). Follow next_after (or next_before) until it is null.',
    query: ledgerQuery,
    responses: { 200: '{ records, next_after, next_before, head: { count, head_hash } }', 400: 'bad cursor' },
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
        records,
        next_after: query.order === 'asc' && full && last ? last.seq : null,
        next_before: query.order === 'desc' && last && last.seq > 1 ? last.seq : null,
        head,
      };
    },
  });

  r.add({
    method: 'GET',
    url: '/v1/ledger/verify',
    auth: 'none',
    tag: 'ledger',
    summary: 'Walk the whole chain and check every signed checkpoint',
    responses: { 200: '{ ok, count, head, checkpoints, problems, ms }' },
    async handler() {
      const t0 = performance.now();
      const { keyId, publicKey } = api.services.firewall.issuer;
      const report = await api.services.ledger.verify(
        publicKey,
        keyId,
        api.ed25519Verify,
        api.extraCheckpoints?.() ?? [],
      );
      return { ...report, ms: Math.round(performance.now() - t0) };
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
    auth: 'none',
    tag: 'status',
    summary: 'What the dashboard header shows: counts since start, ledger head, halts, open approvals, issuer',
    responses: { 200: '{ counts, ledger, halts, approvals_open, issuer, venue, mode }' },
    async handler() {
      const [ledger, halts, pending] = await Promise.all([
        store.ledgerHead(),
        haltsNow(api),
        store.approvals({ status: 'pending' }),
      ]);
      return {
        counts: api.metrics.summary(),
        ledger,
        halts,
        approvals_open: pending.length,
        issuer: api.services.firewall.issuer.keyId,
        venue: api.venue,
        mode: api.mode,
        now: api.deps.clock.now(),
      };
    },
  });
}

/** Halts in force (the kill switch's own view: store records, rows and this root's HALT files). */
export function haltsNow(api: Api) {
  return api.services.halts.status(api.venue);
}
