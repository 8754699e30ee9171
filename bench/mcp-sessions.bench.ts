/**
 * Issue 17's load test: 2,000 MCP-over-HTTP sessions opened from one agent token on loopback, and the server's
 * memory before, at the peak, and after the idle timeout has closed them; then the same 2,000 opens under the
 * default per-agent limit. Exits 1 if a stated bound is missed. Memory, not time, is what it judges.
 * Run: npm run build && npx tsx bench/mcp-sessions.bench.ts
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { cli } from '../test/support/cli.js';
import { addAgent, freePort } from '../test/support/mcp.js';

const BIN = join(import.meta.dirname, '..', 'bin', 'arbiter.js');
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 2_000);
/** Long enough that every session is still open when the last one has been opened on a slow machine. */
const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? 60_000);
const CONCURRENCY = 16;
/** After the idle timeout, the heap (after a full collection) may be at most this much above what it was before. */
const HEAP_BOUND_MB = 25;

const INIT = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'load', version: '1' } },
};

interface Sample {
  readonly rssMb: number;
  readonly heapMb: number;
  readonly sessions: number;
}

async function sample(base: string): Promise<Sample> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const num = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'm').exec(text)?.[1] ?? NaN);
  return {
    rssMb: num('arbiter_process_resident_memory_bytes') / 1_048_576,
    heapMb: num('arbiter_nodejs_heap_size_used_bytes') / 1_048_576,
    sessions: num('arbiter_mcp_sessions'),
  };
}

const fmt = (s: Sample) => `rss ${s.rssMb.toFixed(0)} MB, heap used ${s.heapMb.toFixed(1)} MB, sessions ${s.sessions}`;

async function openSessions(base: string, token: string, n: number): Promise<{ ok: number; refused: number }> {
  let next = 0;
  let ok = 0;
  let refused = 0;
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    authorization: `Bearer ${token}`,
  };
  const worker = async () => {
    while (next < n) {
      next += 1;
      const r = await fetch(`${base}/mcp`, { method: 'POST', headers, body: JSON.stringify(INIT) });
      await r.text();
      const sid = r.headers.get('mcp-session-id');
      if (r.status !== 200 || !sid) {
        refused += 1;
        continue;
      }
      const n2 = await fetch(`${base}/mcp`, {
        method: 'POST',
        headers: { ...headers, 'mcp-session-id': sid, 'mcp-protocol-version': '2025-06-18' },
        body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
      });
      await n2.text();
      ok += 1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { ok, refused };
}

async function server(home: string, env: Record<string, string>) {
  const port = await freePort();
  const snapshots = mkdtempSync(join(tmpdir(), 'arbiter-bench-heap-'));
  // SIGUSR2 writes a heap snapshot, and V8 collects all garbage before writing one: the heap used reported
  // afterwards is what is really retained, not what a lazy collector has not got round to freeing yet.
  const flags = ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${snapshots}`];
  const child = spawn(process.execPath, [...flags, BIN, 'serve', '--port', String(port)], {
    env: { ...process.env, ARBITER_HOME: home, ARBITER_MCP_CALLS: '1000000,60000000', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {
      // starting
    }
    await sleep(100);
  }
  /** Memory after a full collection (forced by a heap snapshot, deleted afterwards). */
  const collected = async (): Promise<Sample> => {
    const before = new Set(readdirSync(snapshots));
    child.kill('SIGUSR2');
    for (let i = 0; i < 600; i++) {
      await sleep(250);
      const fresh = readdirSync(snapshots).filter((f) => !before.has(f));
      if (fresh.length === 0) continue;
      const file = join(snapshots, fresh[0]!);
      const size = statSync(file).size;
      await sleep(500);
      if (statSync(file).size === size && size > 0) break;
    }
    const s = await sample(base);
    for (const f of readdirSync(snapshots)) rmSync(join(snapshots, f), { force: true });
    return s;
  };
  return {
    base,
    collected,
    stop: async () => {
      await new Promise<void>((r) => child.once('exit', () => r()) && child.kill('SIGTERM'));
      rmSync(snapshots, { recursive: true, force: true });
    },
  };
}

async function main() {
  console.log(`machine: ${cpus()[0]?.model} × ${cpus().length}, node ${process.version}`);
  const home = mkdtempSync(join(tmpdir(), 'arbiter-bench-sessions-'));
  cli(home, ['mandate', 'init']);
  const token = addAgent(home, 'loader');
  let failed = false;
  try {
    const a = await server(home, {
      ARBITER_MCP_SESSIONS_PER_AGENT: String(SESSIONS),
      ARBITER_MCP_SESSION_IDLE_MS: String(IDLE_MS),
    });
    await sleep(2_000);
    const rssBefore = (await sample(a.base)).rssMb;
    const before = await a.collected();
    const t0 = performance.now();
    const opened = await openSessions(a.base, token, SESSIONS);
    const openedIn = (performance.now() - t0) / 1000;
    // Read without a forced collection: a heap snapshot of the full heap would itself take long and much memory.
    const peak = await sample(a.base);
    console.log(
      `${SESSIONS} sessions from one token, per-agent limit ${SESSIONS}, idle timeout ${IDLE_MS} ms (opened in ${openedIn.toFixed(0)} s, ${CONCURRENCY} at a time)`,
    );
    console.log(`  before:                 ${fmt({ ...before, rssMb: rssBefore })} (heap after a full GC)`);
    const perSession = ((peak.heapMb - before.heapMb) * 1024) / Math.max(1, opened.ok);
    console.log(
      `  all open (${opened.ok} ok):    ${fmt(peak)} (garbage included: ≈ ${perSession.toFixed(0)} KB heap per session)`,
    );
    await sleep(Math.max(0, IDLE_MS * 1.5 - (performance.now() - t0)) + 2_000);
    const rssAfter = (await sample(a.base)).rssMb;
    const after = await a.collected();
    console.log(`  after the idle timeout: ${fmt({ ...after, rssMb: rssAfter })} (heap after a full GC)`);
    const heapOk = after.heapMb - before.heapMb <= HEAP_BOUND_MB;
    console.log(
      `  bound: sessions 0 (${after.sessions === 0 ? 'ok' : 'MISSED'}), heap ≤ before + ${HEAP_BOUND_MB} MB (${heapOk ? 'ok' : 'MISSED'}); rss is what the allocator keeps for reuse, not retained objects`,
    );
    failed ||= after.sessions !== 0 || !heapOk || peak.sessions < opened.ok;
    await a.stop();

    const b = await server(home, {});
    await sleep(2_000);
    const rssStart = (await sample(b.base)).rssMb;
    const start = await b.collected();
    const most = { heapMb: 0, sessions: 0 };
    const watch = setInterval(() => {
      void sample(b.base).then((x) => {
        most.heapMb = Math.max(most.heapMb, x.heapMb);
        most.sessions = Math.max(most.sessions, x.sessions);
      });
    }, 500);
    const opens = await openSessions(b.base, token, SESSIONS);
    clearInterval(watch);
    const rssEnd = (await sample(b.base)).rssMb;
    const end = await b.collected();
    console.log(`${SESSIONS} sessions from one token under the default limit (8 per agent; older idle ones closed)`);
    console.log(`  before: ${fmt({ ...start, rssMb: rssStart })} (heap after a full GC)`);
    console.log(`  while opening: at most ${most.sessions} sessions, heap used at most ${most.heapMb.toFixed(1)} MB`);
    console.log(
      `  after ${opens.ok} opens (${opens.refused} refused): ${fmt({ ...end, rssMb: rssEnd })} (heap after a full GC)`,
    );
    const bounded = end.sessions <= 8 && most.sessions <= 8;
    console.log(`  bound: at most 8 sessions alive at any time (${bounded ? 'ok' : 'MISSED'})`);
    failed ||= !bounded;
    await b.stop();
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  if (failed) process.exitCode = 1;
}

await main();
