/**
 * LLM arena: N LLM agents (decide mode, one OpenAI-compatible emulator in another process answering every call after
 * a fixed 200 ms) × 300 synthetic bars, every intent through the firewall. Target (issue 14): wall time within
 * 1.25 × (bars × 0.2 s), i.e. the agents of a bar wait for their models together, not one after another. Prints the
 * CPU per LLM decision (prompt, client, parse, firewall for the trades; the emulator's CPU is not counted) beside
 * the built-ins' CPU per agent-bar step on the same market.
 * Run: npx tsx bench/llm-arena.bench.ts   Env: BENCH_LLM_AGENTS (8), BENCH_BARS (300), LLM_DELAY_MS (200).
 */
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { NodeSigner } from '../src/adapters/crypto/node-signer.js';
import { OpenAiCompatibleProvider } from '../src/adapters/llm/openai-provider.js';
import { assembleArena } from '../src/app/arena/assemble.js';
import { type Agent, builtinSpecs } from '../src/core/arena/index.js';
import { type ExchangeRecord, LlmAgent } from '../src/services/arena/llm-agent.js';

const AGENTS = Number(process.env.BENCH_LLM_AGENTS ?? 8);
const BARS = Number(process.env.BENCH_BARS ?? 300);
const DELAY = Number(process.env.LLM_DELAY_MS ?? 200);
const signer = new NodeSigner(NodeSigner.generatePem());

async function emulator(): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'llm-emulator-process.ts')], {
    env: { ...process.env, LLM_DELAY_MS: String(DELAY) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const first = await new Promise<string>((resolve) =>
    createInterface({ input: child.stdout! }).once('line', (l) => resolve(l.trim())),
  );
  return { url: first, stop: () => child.stdin!.end() };
}

async function timed(agents: Agent[]) {
  const a = await assembleArena(
    {
      source: 'synthetic',
      seed: 7,
      bars: BARS,
      warmup: 120,
      capital: 10_000,
      signing: 'checkpoint',
      checkpointEvery: 1_000,
      storePath: ':memory:',
      runId: 'bench',
      persist: false,
      signer,
      concurrency: Math.max(8, agents.length),
    },
    agents,
  );
  try {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await a.engine.run();
    const wall = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(cpu0);
    const verdicts = a.engine.traces.filter((t) => t.verdict_id !== '').length;
    return { wall, cpuS: (c.user + c.system) / 1e6, verdicts, traces: a.engine.traces };
  } finally {
    await a.close();
  }
}

const emu = await emulator();
try {
  const exchanges: ExchangeRecord[] = [];
  const llm = Array.from(
    { length: AGENTS },
    (_, k) =>
      new LlmAgent(
        {
          id: `llm-${k}`,
          provider: 'openai-compatible',
          base_url: `${emu.url}/v1`,
          model: 'bench-model',
          max_tokens: 200,
          deadline_ms: 30_000,
          retries: 2,
          backoff_ms: 100,
          budget: {},
          price: null,
        },
        new OpenAiCompatibleProvider(`${emu.url}/v1`, 'sk-bench'),
        (r) => exchanges.push(r),
      ),
  );
  const r = await timed(llm);
  const builtins = builtinSpecs()
    .slice(0, AGENTS)
    .map((s) => s.create());
  const b = await timed(builtins);
  const decisions = AGENTS * BARS;
  const target = 1.25 * BARS * (DELAY / 1000);
  const failed = r.traces.filter((t) => t.error !== null).length;
  console.log(`machine: ${cpus()[0]?.model} × ${cpus().length}, node ${process.version}`);
  console.log(
    `LLM arena: ${AGENTS} LLM agents × ${BARS} bars, emulator answering after ${DELAY} ms: ${r.wall.toFixed(1)} s wall ` +
      `(target ≤ ${target.toFixed(1)} s: ${r.wall <= target ? 'met' : 'NOT met'}); ${exchanges.length} model calls, ` +
      `${r.verdicts} intents vetted, ${failed} decisions failed`,
  );
  console.log(
    `CPU per LLM decision: ${((r.cpuS / decisions) * 1e6).toFixed(0)} µs (prompt, client, parse, firewall for the trades)`,
  );
  console.log(
    `built-ins on the same market: ${((b.cpuS / decisions) * 1e6).toFixed(1)} µs of CPU per agent-bar step ` +
      `(${b.verdicts} intents vetted, ${b.wall.toFixed(2)} s wall)`,
  );
} finally {
  emu.stop();
}
