import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStream, openWithTicket } from './stream-client.js';
import { http, type Installation, installation, type Served } from './support.js';

const ADMIN = `admin-${'r'.repeat(40)}`;

/** Every route that shows agents, intents, orders, approvals, certificates or events. */
const PROTECTED = [
  '/v1/agents',
  '/v1/ledger',
  '/v1/ledger/verify',
  '/v1/verdicts/vdt_anything',
  '/v1/approvals',
  '/v1/audit',
  '/v1/stream',
  '/v1/halts',
  '/v1/summary',
  '/v1/leaderboard',
  '/v1/arena/runs',
  '/v1/arena/runs/some-run',
  '/v1/arena/equity',
  '/v1/arena/trades',
  '/v1/arena/prices',
  '/v1/arena/decisions?agent=x',
  '/v1/arena/study',
];

describe('reads need a token: an agent sees its own, the admin sees all, anonymous sees nothing', () => {
  let inst: Installation;
  let server: Served;
  let alice: string;
  let bob: string;
  const v: Record<string, any> = {};

  beforeAll(async () => {
    inst = await installation({
      agents: ['alice', 'bob'],
      env: { ARBITER_ADMIN_TOKEN: ADMIN },
      mandate: (m) => {
        m.arbiter = { ...m.arbiter, approval_threshold_usd: 300 };
      },
    });
    server = inst.server;
    alice = inst.tokens.alice!;
    bob = inst.tokens.bob!;
    const order = (token: string, notional: number) =>
      http(server.base, 'POST', '/v1/orders', { token, body: { symbol: 'BTC/USDT', side: 'buy', notional } });
    v.alice = (await order(alice, 101)).body;
    v.alicePending = (await order(alice, 420)).body;
    v.bob = (await order(bob, 102)).body;
    expect(v.alice.decision).toBe('ALLOW');
    expect(v.alicePending.decision).toBe('PENDING_APPROVAL');
    expect(v.bob.decision).toBe('ALLOW');
  });
  afterAll(async () => inst?.close());

  it('answers anonymous reads of every protected route with 401, a clear message and no stack trace', async () => {
    for (const path of PROTECTED) {
      const r = await http(server.base, 'GET', path);
      expect(r.status, `${path}: ${r.text}`).toBe(401);
      expect(r.body.error, path).toBe('UNAUTHENTICATED');
      expect(r.body.message, path).toMatch(/Authorization: Bearer/);
      expect(r.headers.get('www-authenticate'), path).toMatch(/^Bearer/);
      expect(r.text, path).not.toMatch(/\bat .*\.(js|ts):\d+/);
    }
  });

  it('keeps health, the issuer key, the API docs, market data, metrics and the dashboard open', async () => {
    for (const path of ['/health', '/v1/pubkey', '/openapi.json', '/docs', '/', '/metrics', '/v1/market/instruments'])
      expect((await http(server.base, 'GET', path)).status, path).toBe(200);
    const metrics = await http(server.base, 'GET', '/metrics');
    expect(metrics.text).toContain('arbiter_verdicts_total');
    expect(metrics.text, 'metrics carry no agent id or order id').not.toMatch(/alice|bob|vdt_/);
  });

  it('GET /v1/agents: an agent sees itself, the admin sees everyone', async () => {
    const mine = await http(server.base, 'GET', '/v1/agents', { token: alice });
    expect(mine.status).toBe(200);
    expect(mine.body.agents.map((a: { agent_id: string }) => a.agent_id)).toEqual(['alice']);
    const all = await http(server.base, 'GET', '/v1/agents', { token: ADMIN });
    expect(all.body.agents.map((a: { agent_id: string }) => a.agent_id).sort()).toEqual(['alice', 'bob']);
  });

  it('GET /v1/verdicts/:id: the owner and the admin read it; another agent gets 404 as if it did not exist', async () => {
    expect((await http(server.base, 'GET', `/v1/verdicts/${v.alice.verdict_id}`, { token: alice })).status).toBe(200);
    const other = await http(server.base, 'GET', `/v1/verdicts/${v.alice.verdict_id}`, { token: bob });
    expect(other.status).toBe(404);
    expect(other.body.error).toBe('VERDICT_NOT_FOUND');
    expect(other.text).not.toContain('alice');
    expect((await http(server.base, 'GET', `/v1/verdicts/${v.bob.verdict_id}`, { token: ADMIN })).status).toBe(200);
  });

  it('GET /v1/approvals: an agent sees only its own pending intents, the admin all', async () => {
    const ids = async (token: string) =>
      (await http(server.base, 'GET', '/v1/approvals', { token })).body.approvals.map(
        (a: { approval_id: string }) => a.approval_id,
      );
    expect(await ids(alice)).toEqual([v.alicePending.approval_id]);
    expect(await ids(bob)).toEqual([]);
    expect(await ids(ADMIN)).toEqual([v.alicePending.approval_id]);
  });

  it("GET /v1/ledger and /v1/ledger/verify are the operator's: 403 with a reason for an agent, 200 for the admin", async () => {
    for (const path of ['/v1/ledger', '/v1/ledger/verify']) {
      const r = await http(server.base, 'GET', path, { token: alice });
      expect(r.status, path).toBe(403);
      expect(r.body.message, path).toMatch(/admin token/);
    }
    const page = await http(server.base, 'GET', '/v1/ledger?limit=5', { token: ADMIN });
    expect(page.status).toBe(200);
    expect(page.body.records.length).toBeGreaterThan(0);
  });

  it('20 parallel /v1/ledger/verify calls walk the chain once, not 20 times', async () => {
    const all = await Promise.all(
      Array.from({ length: 20 }, () => http(server.base, 'GET', '/v1/ledger/verify', { token: ADMIN })),
    );
    for (const r of all) expect(r.body.ok, JSON.stringify(r.body)).toBe(true);
    const walks = all.filter((r) => r.body.cached === false).length;
    expect(walks, 'calls that walked the chain themselves').toBeLessThanOrEqual(1);
    const head = all[0]!.body.head;
    // An order (a dry run through /v1/vet records nothing).
    await http(server.base, 'POST', '/v1/orders', {
      token: bob,
      body: { symbol: 'BTC/USDT', side: 'buy', notional: 55 },
    });
    const after = await http(server.base, 'GET', '/v1/ledger/verify', { token: ADMIN });
    expect(after.body.head, 'a new record means a new walk').not.toBe(head);
    expect(after.body.cached).toBe(false);
  });

  it('the event stream: tickets come from an authenticated POST, are single use, and each agent sees only its own events', async () => {
    expect((await http(server.base, 'POST', '/v1/stream/ticket')).status).toBe(401);
    const bobStream = await openStream(server.base, bob, { backlog: 100 });
    const adminStream = await openStream(server.base, ADMIN, { backlog: 100 });
    try {
      expect(bobStream.status).toBe(200);
      const order = (token: string, notional: number) =>
        http(server.base, 'POST', '/v1/orders', { token, body: { symbol: 'BTC/USDT', side: 'buy', notional } });
      const a = (await order(alice, 131)).body;
      const b = (await order(bob, 132)).body;
      await bobStream.next((e) => e.type === 'verdict' && e.data.id === b.verdict_id);
      await adminStream.next((e) => e.type === 'verdict' && e.data.id === a.verdict_id);
      await adminStream.next((e) => e.type === 'verdict' && e.data.id === b.verdict_id);
      await adminStream.next((e) => e.type === 'fill' && e.data.agent_id === 'alice');
      const foreign = bobStream.events.filter((e) => e.data.agent_id !== undefined && e.data.agent_id !== 'bob');
      expect(foreign, "bob's stream carries none of alice's events (backlog or live)").toEqual([]);
      expect(bobStream.events.some((e) => e.data.agent_id === 'bob' && e.type === 'fill')).toBe(true);
    } finally {
      bobStream.close();
      adminStream.close();
    }
    const t = await http(server.base, 'POST', '/v1/stream/ticket', { token: bob });
    const first = await openWithTicket(server.base, t.body.ticket);
    expect(first.status).toBe(200);
    first.close();
    const again = await openWithTicket(server.base, t.body.ticket);
    expect(again.status, 'a ticket works once').toBe(401);
    const bogus = await openWithTicket(server.base, 'stk_not-a-ticket');
    expect(bogus.status).toBe(401);
    const header = await fetch(`${server.base}/v1/stream`, { headers: { authorization: `Bearer ${bob}` } });
    expect(header.status, 'a client that can send headers may use its token directly').toBe(200);
    await header.body?.cancel();
  });

  it("/v1/halts shows an agent the halts that apply to it, not other agents' halts", async () => {
    await http(server.base, 'POST', '/v1/halt', {
      token: ADMIN,
      body: { scope: 'agent', agent: 'alice', reason: 'alice only' },
    });
    try {
      const bobView = await http(server.base, 'GET', '/v1/halts', { token: bob });
      expect(bobView.status).toBe(200);
      expect(bobView.text).not.toContain('alice');
      const aliceView = await http(server.base, 'GET', '/v1/halts', { token: alice });
      expect(aliceView.body.scopes.map((s: { scope: string }) => s.scope)).toContain('agent:alice');
      const admin = await http(server.base, 'GET', '/v1/halts', { token: ADMIN });
      expect(admin.body.scopes.map((s: { scope: string }) => s.scope)).toContain('agent:alice');
    } finally {
      await http(server.base, 'POST', '/v1/resume', { token: ADMIN, body: { scope: 'agent', agent: 'alice' } });
    }
  });
});
