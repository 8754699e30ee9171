import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeHasher } from '../../src/adapters/crypto/node-signer.js';
import { PostgresStore } from '../../src/adapters/store/postgres-store.js';
import type { Certificate } from '../../src/core/cert/certificate.js';
import { ChainVerifier } from '../../src/core/ledger/chain.js';
import { BIN, cli, tempHome } from '../support/cli.js';
import { type EmbeddedPg, startPostgres } from '../support/embedded-pg.js';
import { freePort, patchMandate, stopServe } from '../support/mcp.js';

const CAP = 3_000;
const PER_DAY = 40;
const PER_SECOND = 3;
const AGENTS = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'];

interface Instance {
  readonly port: number;
  readonly child: ChildProcess;
}

/**
 * Three `arbiter serve` processes share one PostgreSQL; a storm of orders from six agents hits one account
 * through all three at once. Every limit must hold across instances, the ledger must stay one linear chain
 * with one record per verdict, and killing an instance mid-storm (SIGKILL) must lose nothing.
 */
describe('three instances on one PostgreSQL', () => {
  let pg: EmbeddedPg;
  let url: string;
  let home: string;
  let instances: Instance[] = [];
  const tokens = new Map<string, string>();
  const env = () => ({ ARBITER_HOME: home, ARBITER_DATABASE_URL: url, ARBITER_RECOVER_AFTER_MS: '2000' });

  async function start(): Promise<Instance> {
    const port = await freePort();
    const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port)], {
      env: { ...process.env, ...env() },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    for (let i = 0; i < 300; i++) {
      if (child.exitCode !== null) throw new Error('serve exited');
      if (
        await fetch(`http://127.0.0.1:${port}/health`).then(
          (r) => r.ok,
          () => false,
        )
      )
        return { port, child };
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('serve did not start');
  }

  async function client(agent: string, port: number): Promise<Client> {
    const c = new Client({ name: agent, version: '1' });
    const headers = { Authorization: `Bearer ${tokens.get(agent)}` };
    await c.connect(
      new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`), { requestInit: { headers } }),
    );
    return c;
  }

  /** Each agent fires `n` orders, round-robin over the live instances; returns the certificates received. */
  async function storm(n: number, during?: () => Promise<void>): Promise<Certificate[]> {
    const received: Certificate[] = [];
    const runs = AGENTS.map(async (agent, ai) => {
      const clients = await Promise.all(instances.map((x) => client(agent, x.port).catch(() => null)));
      await Promise.all(
        Array.from({ length: n }, async (_, i) => {
          const c = clients[(ai + i) % clients.length];
          if (!c) return;
          const r = (await c
            .callTool({
              name: 'place_order',
              arguments: {
                symbol: 'BTC/USDT:USDT',
                side: 'buy',
                notional: 100 + ai * 7 + i,
                client_order_id: `${agent}-${n}-${i}`,
                include_certificate: true,
              },
            })
            .catch(() => null)) as CallToolResult | null;
          const cert = (r?.structuredContent as { certificate?: Certificate } | undefined)?.certificate;
          if (cert) received.push(cert);
        }),
      );
      await Promise.all(clients.map((c) => c?.close().catch(() => undefined)));
    });
    await Promise.all([...runs, during?.()]);
    return received;
  }

  async function audit(received: readonly Certificate[]) {
    const store = new PostgresStore({ url, hasher: nodeHasher, poolSize: 2 });
    await store.init();
    try {
      const records = await store.ledgerRange(1, 100_000);
      const v = new ChainVerifier((s) => nodeHasher.sha256Hex(s), new Set());
      for (const r of records) v.add(r);
      const chain = v.finish([], () => true);
      const verdicts = records
        .filter((r) => r.kind === 'verdict')
        .map((r) => Object.assign(JSON.parse(r.body) as Certificate, { seq: r.seq }));
      const ids = new Set(verdicts.map((c) => c.payload.id));
      const outcomes = new Map(
        records.filter((r) => r.kind === 'order_outcome').map((r) => [r.ref, JSON.parse(r.body) as { status: string }]),
      );
      const snap = await store.accountSnapshot('main', null, Date.now(), 0);
      const unresolved = (await store.unresolvedOrders('main', Date.now())).filter(
        (o) => o.status === 'forwarding' || o.status === 'unknown',
      );
      return { chain, verdicts, ids, outcomes, snap, unresolved, received };
    } finally {
      await store.close();
    }
  }

  function checkInvariants(a: Awaited<ReturnType<typeof audit>>) {
    expect(a.chain.ok, JSON.stringify(a.chain.problems.slice(0, 3))).toBe(true);
    // One ledger record per verdict, and every certificate a client received is in the ledger.
    expect(a.ids.size).toBe(a.verdicts.length);
    for (const c of a.received) expect(a.ids.has(c.payload.id)).toBe(true);
    const allowed = a.verdicts.filter((c) => c.payload.decision === 'ALLOW');
    for (const c of allowed) {
      // No cap ever exceeded: each ALLOW was judged on the state under the account lock.
      expect(c.payload.context.account.gross_exposure + (c.payload.effective?.notional ?? 0)).toBeLessThanOrEqual(
        CAP + 1e-6,
      );
      expect(c.payload.context.account.daily_count).toBeLessThan(PER_DAY);
      expect(c.payload.context.throttle.last_second).toBeLessThan(PER_SECOND);
    }
    // Throttle counts were exact: recount, in ledger (= transaction) order, this agent's earlier verdicts whose
    // time falls in the second before each one.
    for (const agent of AGENTS) {
      const mine = a.verdicts.filter((c) => c.payload.agent_id === agent);
      for (const c of mine) {
        const t = Date.parse(c.payload.issued_at);
        const before = mine.filter((x) => x.seq < c.seq && Date.parse(x.payload.issued_at) > t - 1_000);
        expect(c.payload.context.throttle.last_second).toBe(before.length);
      }
    }
    // The daily counter is exact: every allowed order whose venue call did not fail, and nothing stuck.
    expect(a.unresolved).toEqual([]);
    const counted = allowed.filter((c) => {
      const status = a.outcomes.get(c.payload.id)?.status;
      return status !== undefined && status !== 'rejected_by_venue';
    }).length;
    expect(a.snap.daily_count).toBe(counted);
    expect(counted).toBeLessThanOrEqual(PER_DAY);
  }

  beforeAll(async () => {
    pg = await startPostgres();
    url = await pg.createDatabase('arbiter');
    home = tempHome();
    expect(cli(home, ['mandate', 'init'], env()).code).toBe(0);
    patchMandate(home, (m) => {
      m.hard_caps.max_total_exposure_usd = CAP;
      m.hard_caps.max_trades_per_day = PER_DAY;
      m.arbiter = {
        ...m.arbiter,
        allow_capping: false,
        duplicate_window_ms: 0,
        throttle: { per_second: PER_SECOND, per_minute: 1_000 },
      };
    });
    expect(cli(home, ['pubkey'], env()).code).toBe(0);
    for (const a of AGENTS) tokens.set(a, JSON.parse(cli(home, ['agents', 'add', a], env()).out).token);
    instances = await Promise.all([start(), start(), start()]);
  }, 180_000);

  afterAll(async () => {
    await Promise.all(instances.map((i) => stopServe(i.child)));
    await pg?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  }, 60_000);

  it('holds every limit across instances under a concurrent storm', async () => {
    const received = await storm(8);
    expect(received.length).toBe(AGENTS.length * 8);
    checkInvariants(await audit(received));
  }, 120_000);

  it('loses nothing when one instance is killed mid-storm', async () => {
    const victim = instances[1]!;
    const received = await storm(10, async () => {
      await new Promise((r) => setTimeout(r, 250));
      victim.child.kill('SIGKILL');
    });
    instances = instances.filter((i) => i !== victim);
    // The survivors' reconcilers resolve whatever the dead instance left in flight.
    await new Promise((r) => setTimeout(r, 6_000));
    checkInvariants(await audit(received));
  }, 120_000);
});
