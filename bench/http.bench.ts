/**
 * POST /v1/vet over HTTP, end to end: Fastify, bearer-token lookup, zod, FirewallService.vet (evaluate, Ed25519
 * sign, one SQLite WAL transaction with the ledger append and the audit row), JSON out. The server runs in its own
 * process exactly as `arbiter serve` wires it (paper mode, synthetic market, embedded SQLite, metrics on);
 * autocannon drives it from this process.
 *
 * Run: npx tsx bench/http.bench.ts   (BENCH_SECONDS=20 BENCH_CONNECTIONS=32 BENCH_AGENTS=16 BENCH_PROFILE=1)
 * BENCH_PROFILE=1 writes a CPU profile of the server during the measured run (open it in Chrome DevTools).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Histogram {
  readonly average: number;
  readonly min: number;
  readonly max: number;
  readonly total: number;
  readonly p50: number;
  readonly p90: number;
  readonly p97_5: number;
  readonly p99: number;
}

interface Result {
  readonly requests: Histogram;
  readonly latency: Histogram;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
}

// autocannon ships no type declarations (@types/autocannon would replace this line).
const autocannon = createRequire(import.meta.url)('autocannon') as (opts: Record<string, unknown>) => Promise<Result>;

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const AGENTS = Number(process.env.BENCH_AGENTS ?? 16);
const PROFILE_PATH = join(tmpdir(), 'arbiter-http-bench.cpuprofile');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/** The server side: `arbiter serve`'s wiring on a temp ARBITER_HOME, with AGENTS agent tokens. */
async function serve(home: string, port: number): Promise<void> {
  const { writeMandate } = await import('../src/adapters/runtime/mandate-file.js');
  const { RuntimeLayout } = await import('../src/adapters/runtime/layout.js');
  const { defaultMandate } = await import('../src/core/mandate/schema.js');
  const { loadSettings } = await import('../src/app/settings.js');
  const { createMarketData } = await import('../src/app/market.js');
  const { createContext } = await import('../src/app/context.js');
  const { buildServices, mcpContext } = await import('../src/app/services.js');
  const { httpApiOptions } = await import('../src/app/commands/serve.js');
  const { buildHttpApp } = await import('../src/transport/http/server.js');
  const { registerApi } = await import('../src/transport/http/api/index.js');
  const { createArbiterMcp } = await import('../src/transport/mcp/server.js');
  const { AGENT_TOKEN_PREFIX, newToken, tokenHash } = await import('../src/transport/http/auth.js');

  const settings = loadSettings({ ARBITER_HOME: home }, { home });
  const base = defaultMandate(new Date(Date.now() - 60_000), 'f'.repeat(64), 'paper');
  // The benchmark measures the verdict path, not the throttle: the per-agent rate limits are lifted.
  writeMandate(new RuntimeLayout(home), {
    ...base,
    arbiter: { ...base.arbiter, throttle: { per_second: 100_000, per_minute: 6_000_000 }, duplicate_window_ms: 0 },
  });
  const ctx = await createContext(settings, { market: await createMarketData(settings) });
  const services = buildServices(ctx);
  const tokens: string[] = [];
  for (let i = 0; i < AGENTS; i++) {
    const token = newToken(AGENT_TOKEN_PREFIX);
    await ctx.deps.store.putAgent(`bench-${i}`, tokenHash(token), `bench-${i}`, Date.now());
    tokens.push(token);
  }
  const http = await buildHttpApp({
    port,
    host: '127.0.0.1',
    store: ctx.deps.store,
    venue: settings.venue,
    makeMcp: (session) => createArbiterMcp(mcpContext(ctx, services, session, 'paper')),
    extend: async (app) => {
      await registerApi(
        app,
        httpApiOptions(ctx, services, { adminTokenHash: null, webRoot: null, processMetrics: true }),
      );
    },
  });
  await http.app.listen({ port, host: '127.0.0.1' });
  process.stdout.write(`${JSON.stringify({ tokens })}\n`);
  // BENCH_PROFILE: a CPU profile of the measured run only (the parent says when it starts), written on exit.
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  process.on('message', (m) => {
    if (m === 'profile') void session.post('Profiler.enable').then(() => session.post('Profiler.start'));
  });
  process.on('SIGTERM', () => {
    void (async () => {
      if (process.env.BENCH_PROFILE) {
        const { profile } = await session.post('Profiler.stop').catch(() => ({ profile: null }));
        if (profile) writeFileSync(PROFILE_PATH, JSON.stringify(profile));
      }
      await http.close();
      const head = await ctx.deps.store.ledgerHead();
      await ctx.close();
      process.stdout.write(`${JSON.stringify({ ledger: head.count })}\n`);
      process.exit(0);
    })();
  });
}

function startServer(home: string, port: number): Promise<{ child: ChildProcess; tokens: string[] }> {
  const child = spawn(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), '--server', home, String(port)],
    {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve({ child, tokens: JSON.parse(line).tokens });
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

async function main(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'arbiter-bench-http-'));
  const port = await freePort();
  const { child, tokens } = await startServer(home, port);
  let n = 0;
  const run = (seconds: number) =>
    autocannon({
      url: `http://127.0.0.1:${port}`,
      connections: CONNECTIONS,
      duration: seconds,
      requests: [
        {
          method: 'POST',
          path: '/v1/vet',
          setupRequest: (req: Record<string, unknown>) => {
            n += 1;
            return {
              ...req,
              headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[n % tokens.length]}` },
              body: JSON.stringify({ symbol: 'BTC/USDT', side: 'buy', notional: 50 + (n % 7) }),
            };
          },
        },
      ],
    });
  await run(3); // warm-up: JIT, SQLite page cache
  if (process.env.BENCH_PROFILE) child.send('profile');
  const r = await run(SECONDS);
  // The floor of this machine's HTTP stack: the same server, a route that does no firewall work.
  const sample = await fetch(`http://127.0.0.1:${port}/v1/vet`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[0]}` },
    body: JSON.stringify({ symbol: 'BTC/USDT', side: 'buy', notional: 50 }),
  });
  const responseBytes = (await sample.arrayBuffer()).byteLength;
  const floor = await autocannon({ url: `http://127.0.0.1:${port}/v1/pubkey`, connections: CONNECTIONS, duration: 5 });
  const decisions = await fetch(`http://127.0.0.1:${port}/metrics`).then((x) => x.text());
  const counts = [...decisions.matchAll(/^arbiter_verdicts_total\{decision="(\w+)",reason="(\w+)"\} (\d+)/gm)].map(
    (m) => `${m[1]}/${m[2]}=${m[3]}`,
  );
  child.kill('SIGTERM');
  await new Promise((res) => child.once('exit', res));
  rmSync(home, { recursive: true, force: true });

  const cpu = cpus();
  console.log(
    `machine: ${cpu[0]?.model} × ${cpu.length} cores, node ${process.version}, load ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  console.log(`POST /v1/vet, ${CONNECTIONS} connections, ${AGENTS} agents, ${SECONDS} s (after a 3 s warm-up)`);
  console.log(
    `verdicts/s: mean ${r.requests.average.toFixed(0)}, p50 ${r.requests.p50}, min ${r.requests.min}; total ${r.requests.total}`,
  );
  console.log(
    `latency ms: p50 ${r.latency.p50}, p90 ${r.latency.p90}, p97.5 ${r.latency.p97_5}, p99 ${r.latency.p99}, max ${r.latency.max}`,
  );
  console.log(`non-2xx: ${r.non2xx}, errors: ${r.errors}, timeouts: ${r.timeouts}`);
  console.log(
    `HTTP floor (GET /v1/pubkey, same server): ${floor.requests.average.toFixed(0)} req/s, p99 ${floor.latency.p99} ms; a /v1/vet response body is ${responseBytes} bytes`,
  );
  console.log(`verdicts by decision/reason (incl. warm-up): ${counts.join(', ')}`);
  if (process.env.BENCH_PROFILE) console.log(`CPU profile of the measured run: ${PROFILE_PATH}`);
}

if (process.argv[2] === '--server') await serve(process.argv[3]!, Number(process.argv[4]));
else await main();
