import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadShippedMarketData } from '../../../src/adapters/market-data/csv-market-data.js';
import { RuntimeLayout } from '../../../src/adapters/runtime/layout.js';
import { writeMandate } from '../../../src/adapters/runtime/mandate-file.js';
import { httpApiOptions } from '../../../src/app/commands/serve.js';
import { type AppContext, createContext } from '../../../src/app/context.js';
import { buildServices, mcpContext, type Services } from '../../../src/app/services.js';
import { loadSettings } from '../../../src/app/settings.js';
import { defaultMandate } from '../../../src/core/mandate/schema.js';
import type { Mandate } from '../../../src/core/mandate/types.js';
import type { Clock } from '../../../src/ports/clock.js';
import { type ArenaSource, registerApi } from '../../../src/transport/http/api/index.js';
import type { StreamHub } from '../../../src/transport/http/api/stream.js';
import { AGENT_TOKEN_PREFIX, newToken, tokenHash } from '../../../src/transport/http/auth.js';
import { buildHttpApp } from '../../../src/transport/http/server.js';
import { createArbiterMcp } from '../../../src/transport/mcp/server.js';
import { PaperArena } from './paper-arena.js';

/** Wall time flows between steps (throttles, duplicate windows and TTLs behave), and a step jumps to a bar's open. */
export class SteppingClock implements Clock {
  private base: number;
  private wall = Date.now();
  constructor(start: number) {
    this.base = start;
  }
  now(): number {
    return this.base + (Date.now() - this.wall);
  }
  set(ms: number): void {
    this.base = ms;
    this.wall = Date.now();
  }
}

export interface HarnessOptions {
  /** Arena bars run before the app is returned. */
  readonly bars?: number;
  /** Total bars the arena reports (the run keeps going when a test steps it further). */
  readonly totalBars?: number;
  readonly approvalThresholdUsd?: number | null;
  readonly port?: number;
  readonly webRoot?: string | null;
  readonly adminToken?: string | null;
  /** Replaces the arena test double (e.g. one that fails). */
  readonly arena?: ArenaSource;
  readonly mode?: 'readonly' | 'paper';
  /** Momentum agents added to the arena's five (ids momentum-2, momentum-20, momentum-200, …; at most 24). */
  readonly extraAgents?: number;
  /** Overrides of the mandate's hard caps (a larger arena needs more daily trades). */
  readonly hardCaps?: Partial<Mandate['hard_caps']>;
}

export interface Harness {
  readonly app: FastifyInstance;
  readonly ctx: AppContext;
  readonly services: Services;
  readonly arena: PaperArena;
  readonly clock: SteppingClock;
  readonly home: string;
  /** Agent tokens by agent id: `alice` (account alice) and `bob` (account bob). */
  readonly tokens: Readonly<Record<'alice' | 'bob', string>>;
  readonly adminToken: string;
  readonly port: number;
  /** The server's event stream hub (to end every open stream, as a restarting proxy would). */
  readonly stream: StreamHub;
  close(): Promise<void>;
}

const START_BAR = 2_000;

/**
 * One Arbiter process in-process: the shipped 2024 BTC/ETH hourly bars on a paper venue, a SQLite store in a temp
 * ARBITER_HOME, a mandate, two HTTP agents, an admin token, the arena test double, and the HTTP app exactly as
 * `arbiter serve` builds it (buildHttpApp + registerApi with httpApiOptions).
 */
export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const home = mkdtempSync(join(tmpdir(), 'arbiter-http-'));
  const clock = new SteppingClock(0);
  const market = await loadShippedMarketData(clock);
  clock.set(market.clockTimeOfBar(START_BAR));
  const settings = loadSettings({ ARBITER_HOME: home }, { home, checkpointEvery: 0 });
  const base = defaultMandate(new Date(clock.now() - 86_400_000), 'f'.repeat(64), 'paper');
  const mandate: Mandate = {
    ...base,
    hard_caps: { ...base.hard_caps, ...opts.hardCaps },
    consent: { ...base.consent, expires_at: new Date(clock.now() + 365 * 86_400_000).toISOString() },
    arbiter: {
      ...base.arbiter,
      approval_threshold_usd: opts.approvalThresholdUsd === undefined ? 300 : opts.approvalThresholdUsd,
      throttle: { per_second: 50, per_minute: 3_000 },
    },
  };
  writeMandate(new RuntimeLayout(home), mandate);
  const ctx = await createContext(settings, { market, clock });
  const services = buildServices(ctx);
  const tokens = { alice: newToken(AGENT_TOKEN_PREFIX), bob: newToken(AGENT_TOKEN_PREFIX) };
  for (const [id, token] of Object.entries(tokens))
    await ctx.deps.store.putAgent(id, tokenHash(token), id, clock.now());
  const adminToken = opts.adminToken === undefined ? `admin-${randomBytes(24).toString('hex')}` : opts.adminToken;
  const arena = new PaperArena(
    ctx,
    services,
    market,
    clock,
    START_BAR,
    opts.totalBars ?? 500,
    7,
    opts.extraAgents ?? 0,
  );
  await arena.step(opts.bars ?? 48);
  await ctx.ledger.checkpoint();
  const port = opts.port ?? 7070;
  let stream: StreamHub | null = null;
  const http = await buildHttpApp({
    port,
    host: '127.0.0.1',
    store: ctx.deps.store,
    venue: 'paper',
    makeMcp: (session) => createArbiterMcp(mcpContext(ctx, services, session, 'paper')),
    extend: async (app) => {
      const api = httpApiOptions(ctx, services, {
        adminTokenHash: adminToken === null ? null : tokenHash(adminToken),
        arena: opts.arena ?? arena,
        webRoot: opts.webRoot ?? null,
      });
      stream = (await registerApi(app, { ...api, mode: opts.mode ?? api.mode })).stream;
    },
  });
  return {
    app: http.app,
    ctx,
    services,
    arena,
    clock,
    home,
    tokens,
    adminToken: adminToken ?? '',
    port,
    stream: stream!,
    async close() {
      await http.close();
      await ctx.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
