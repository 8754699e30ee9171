/**
 * Issue 3's benchmark: round trips over stdio for vet_trade and place_order (SDK client ↔ `arbiter mcp`), and
 * tool calls per second over Streamable HTTP. Run: npm run build && npx tsx bench/mcp.bench.ts
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { cli } from '../test/support/cli.js';
import { freePort, patchMandate } from '../test/support/mcp.js';

const BIN = join(import.meta.dirname, '..', 'bin', 'arbiter.js');
const N = Number(process.env.BENCH_N ?? 2_000);

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const ms = (x: number) => `${x.toFixed(3)} ms`;

async function timeCalls(c: Client, name: string, args: (i: number) => Record<string, unknown>, n: number) {
  if (n <= 0) return;
  for (let i = 0; i < Math.min(200, n); i++) await c.callTool({ name, arguments: args(-i - 1) });
  const lat: number[] = [];
  let errors = 0;
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const r = await c.callTool({ name, arguments: args(i) });
    lat.push(performance.now() - t);
    bytes = JSON.stringify(r).length;
    if (r.isError) errors += 1;
  }
  console.log(
    `stdio ${name.padEnd(14)} p50 ${ms(pct(lat, 50))}  p99 ${ms(pct(lat, 99))}  (n=${n}, refused=${errors}, result ≈ ${bytes} bytes)`,
  );
}

async function main() {
  console.log(`machine: ${cpus()[0]?.model} × ${cpus().length}, node ${process.version}`);
  const home = mkdtempSync(join(tmpdir(), 'arbiter-bench-mcp-'));
  cli(home, ['mandate', 'init']);
  // Generous limits so the benchmark measures the path, not the refusals.
  patchMandate(home, (m) => {
    m.hard_caps.max_trades_per_day = 1_000_000;
    m.hard_caps.max_total_exposure_usd = 1e9;
    m.hard_caps.max_leverage = 100;
    m.hard_caps.account_funding_usd = 1e9;
    m.arbiter = { ...m.arbiter, throttle: { per_second: 100_000, per_minute: 6_000_000 }, duplicate_window_ms: 0 };
  });
  // The per-agent MCP request budget and session limit are raised too: this measures the path, not the limits
  // (the HTTP part opens 16 sessions of one agent; the default limit is 8).
  const env = {
    ...process.env,
    ARBITER_HOME: home,
    ARBITER_MCP_CALLS: '1000000,60000000',
    ARBITER_MCP_SESSIONS_PER_AGENT: '64',
  } as Record<string, string>;
  const c = new Client({ name: 'bench', version: '1' });
  await c.connect(
    new StdioClientTransport({
      command: process.execPath,
      // BENCH_PROFILE_DIR=dir writes a V8 CPU profile of the server to dir.
      args: [
        ...(process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : []),
        BIN,
        'mcp',
        '--agent',
        'bench',
      ],
      env,
      stderr: 'ignore',
    }),
  );
  // The transport's floor: a read tool that does no firewall work.
  await timeCalls(c, 'get_issuer_key', () => ({}), N);
  await timeCalls(c, 'vet_trade', () => ({ symbol: 'BTC/USDT', side: 'buy', notional: 50 }), N);
  await timeCalls(
    c,
    'place_order',
    (i) => ({ symbol: 'BTC/USDT:USDT', side: i % 2 ? 'sell' : 'buy', notional: 50, client_order_id: `b${i}` }),
    Number(process.env.BENCH_PLACE_N ?? Math.min(N, 1_000)),
  );
  await c.close();
  if (process.env.BENCH_STDIO_ONLY) return;

  const token = JSON.parse(cli(home, ['agents', 'add', 'httpbench']).out).token as string;
  const port = await freePort();
  const serve = spawn(process.execPath, [BIN, 'serve', '--port', String(port)], { env, stdio: 'ignore' });
  for (
    let i = 0;
    i < 200 &&
    !(await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.ok,
      () => false,
    ));
    i++
  )
    await new Promise((r) => setTimeout(r, 100));
  const clients = await Promise.all(
    Array.from({ length: 16 }, async () => {
      const hc = new Client({ name: 'bench-http', version: '1' });
      await hc.connect(
        new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`), {
          requestInit: { headers: { Authorization: `Bearer ${token}` } },
        }),
      );
      return hc;
    }),
  );
  const call = (hc: Client) =>
    hc.callTool({ name: 'vet_trade', arguments: { symbol: 'BTC/USDT', side: 'buy', notional: 50 } });
  for (const hc of clients) await call(hc);
  const seconds = 5;
  let done = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    clients.map(async (hc) => {
      while (performance.now() < end) {
        await call(hc);
        done += 1;
      }
    }),
  );
  console.log(`http  vet_trade    ${(done / seconds).toFixed(0)} tool calls/s (16 concurrent sessions, ${seconds} s)`);
  await Promise.all(clients.map((hc) => hc.close()));
  serve.kill('SIGTERM');
  await new Promise((r) => serve.once('exit', r));
  rmSync(home, { recursive: true, force: true });
}

await main();
