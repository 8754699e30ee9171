import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buy, call } from './support/call.js';
import { type Harness, startHarness } from './support/harness.js';

describe('HTTP API: ledger, chain verification, audit, summary', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ bars: 12 });
    // Orders are recorded (a dry run through /v1/vet is not).
    for (let i = 0; i < 3; i++)
      await call(h, 'POST', '/v1/orders', { token: h.tokens.bob, body: buy({ notional: 20 + i }) });
  });
  afterAll(async () => h.close());

  it('pages the whole chain with ?after=&limit= and a next cursor, each record linking to the previous', async () => {
    const head = (await call(h, 'GET', '/v1/ledger?limit=1', { token: h.adminToken })).body.head;
    const seen: any[] = [];
    let after = 0;
    for (;;) {
      const page = await call(h, 'GET', `/v1/ledger?after=${after}&limit=7`, { token: h.adminToken });
      expect(page.status).toBe(200);
      seen.push(...page.body.records);
      if (page.body.next_after === null) break;
      after = page.body.next_after;
    }
    expect(seen.map((r) => r.seq)).toEqual(Array.from({ length: head.count }, (_, i) => i + 1));
    for (let i = 1; i < seen.length; i++) expect(seen[i].prev_hash).toBe(seen[i - 1].hash);
  });

  it('pages backwards, newest first, with ?order=desc&before=', async () => {
    const first = await call(h, 'GET', '/v1/ledger?order=desc&limit=5', { token: h.adminToken });
    const seqs = first.body.records.map((r: any) => r.seq);
    expect(seqs[0]).toBe(first.body.head.count);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    const next = await call(h, 'GET', `/v1/ledger?order=desc&limit=5&before=${first.body.next_before}`, {
      token: h.adminToken,
    });
    expect(next.body.records[0].seq).toBe(seqs.at(-1) - 1);
  });

  it('names a bad cursor in a 400', async () => {
    const r = await call(h, 'GET', '/v1/ledger?after=-1&limit=abc', { token: h.adminToken });
    expect(r.status).toBe(400);
    expect(r.body.fields).toEqual(['query.after', 'query.limit']);
  });

  it('verifies the whole chain and its signed checkpoints', async () => {
    const r = await call(h, 'GET', '/v1/ledger/verify', { token: h.adminToken });
    expect(r.status).toBe(200);
    expect(r.body.ok).toBe(true);
    expect(r.body.checkpoints).toBeGreaterThan(0);
    expect(r.body.problems).toEqual([]);
  });

  it('serves the redacted audit log to the admin only, filtered by agent and kind', async () => {
    expect((await call(h, 'GET', '/v1/audit')).status).toBe(401);
    expect((await call(h, 'GET', '/v1/audit', { token: h.tokens.bob })).status).toBe(403);
    const r = await call(h, 'GET', '/v1/audit?agent=bob&kind=order_placed&limit=10', { token: h.adminToken });
    expect(r.status).toBe(200);
    expect(r.body.records.length).toBe(3);
    expect(r.body.records.every((x: any) => x.agent_id === 'bob' && x.kind === 'order_placed')).toBe(true);
    expect(r.body.records[0].body.gate_decision.decision, 'Vibe-Trading vocabulary').toBe('allow');
    expect(r.body.records[0].body.arbiter.decision).toBe('ALLOW');
    const since = await call(h, 'GET', '/v1/audit?since=yesterday', { token: h.adminToken });
    expect(since.status).toBe(400);
    expect(since.body.fields).toEqual(['query.since']);
  });

  it('summarises counts, ledger head, halts and open approvals for the dashboard', async () => {
    const r = await call(h, 'GET', '/v1/summary', { token: h.adminToken });
    expect(r.status).toBe(200);
    expect(r.body.counts.verdicts).toBeGreaterThanOrEqual(3);
    expect(r.body.counts.by_decision.ALLOW).toBeGreaterThanOrEqual(3);
    expect(r.body.ledger.count).toBeGreaterThan(0);
    expect(r.body.halts).toEqual({ halted: false, scopes: [] });
    expect(r.body.issuer).toBe(h.services.firewall.issuer.keyId);
  });
});
