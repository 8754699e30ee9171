/**
 * Arena throughput: agent-bar steps per second on a year of real BTC hourly bars, with every intent vetted by
 * FirewallService (execute: true → store transaction → paper venue) and recorded in the ledger, beside the
 * same agents deciding with nothing behind them (the ceiling). Run: npx tsx bench/arena.bench.ts
 * Env: BENCH_AGENTS (rule-based grid size, default 40), BENCH_SIGNING (checkpoint | per-verdict).
 */
import { cpus } from 'node:os';
import { join } from 'node:path';
import { NodeSigner, nodeHasher } from '../src/adapters/crypto/node-signer.js';
import { assembleArena } from '../src/app/arena/assemble.js';
import {
  type Agent,
  accountView,
  BollingerAgent,
  BreakoutAgent,
  MomentumAgent,
  marketViews,
  observationFor,
  Portfolio,
  ReplayCursor,
  RsiMacdAgent,
} from '../src/core/arena/index.js';
import { canonicalJson } from '../src/core/cert/canonical.js';

const DATA = join(import.meta.dirname, '..', 'data', 'BTCUSDT_1h.csv');
const SIZE = Number(process.env.BENCH_AGENTS ?? 40);
const SIGNING = (process.env.BENCH_SIGNING ?? 'checkpoint') as 'checkpoint' | 'per-verdict';

/** A grid of rule-based parameterisations (each one a trial), cycled to the requested size. */
function ruleBased(n: number): Agent[] {
  const makers: ((k: number) => Agent)[] = [];
  for (const p of [7, 10, 14, 21, 28])
    for (const [lo, hi] of [
      [20, 80],
      [25, 75],
      [30, 70],
      [35, 65],
    ] as const)
      makers.push((k) => new RsiMacdAgent(`rsi-macd-${p}-${lo}-${hi}-${k}`, p, lo, hi));
  for (const p of [20, 30, 50])
    for (const w of [2, 2.5, 3]) makers.push((k) => new BollingerAgent(`bb-${p}-${w}-${k}`, p, w));
  for (const p of [20, 40, 55, 80, 100]) makers.push((k) => new BreakoutAgent(`breakout-${p}-${k}`, p));
  for (const p of [50, 100, 200, 400]) makers.push((k) => new MomentumAgent(`momentum-${p}-${k}`, p));
  return Array.from({ length: n }, (_, i) => makers[i % makers.length]!(Math.floor(i / makers.length)));
}

async function withFirewall() {
  const agents = ruleBased(SIZE);
  const a = await assembleArena(
    {
      source: `csv:${DATA}`,
      seed: 7,
      warmup: 200,
      capital: 10_000,
      signing: SIGNING,
      checkpointEvery: 1_000,
      storePath: ':memory:',
      runId: 'bench',
      persist: false,
      signer: new NodeSigner(NodeSigner.generatePem()),
    },
    agents,
  );
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await a.engine.run();
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const bars = a.engine.config.endBar - a.engine.config.startBar;
  const head = await a.store.ledgerHead();
  // This run's verdict payloads, for the floor below.
  const payloads: unknown[] = [];
  for (let seq = 1; seq <= head.count; seq += 1_000) {
    for (const r of await a.store.ledgerRange(seq, 1_000))
      if (r.kind === 'verdict') payloads.push((JSON.parse(r.body) as { payload: unknown }).payload);
  }
  const out = {
    agents: agents.length,
    bars,
    steps: bars * agents.length,
    intents: a.engine.traces.length,
    wall,
    cpu: (cpu.user + cpu.system) / 1000,
    ledger: head.count,
    frame: a.source.frame,
    payloads,
  };
  await a.close();
  return out;
}

/** The same agents on the same observations with no firewall, venue or store: what deciding alone costs. */
function decideOnly(frame: Awaited<ReturnType<typeof withFirewall>>['frame'], start: number) {
  const agents = ruleBased(SIZE);
  const cursor = new ReplayCursor();
  const market = marketViews(frame, cursor);
  const p = new Portfolio(
    agents.map((x) => `arena:${x.id}`),
    { spot: frame.spot.symbol, perp: frame.perp?.symbol ?? null },
    10_000,
  );
  const obs = agents.map((x, i) =>
    observationFor(frame, cursor, market, accountView(p, i, x.id, `arena:${x.id}`, cursor)),
  );
  cursor.startBar = start;
  cursor.endBar = frame.length;
  let intents = 0;
  const t0 = performance.now();
  for (let bar = start; bar < frame.length; bar++) {
    cursor.bar = bar;
    cursor.marks.spot = frame.spot.open[bar]!;
    cursor.marks.perp = frame.perp ? frame.perp.open[bar]! : 0;
    cursor.quotes.spot.bid = cursor.quotes.spot.ask = frame.spot.open[bar]!;
    for (let i = 0; i < agents.length; i++) if (agents[i]!.decide(obs[i]!)) intents += 1;
  }
  const wall = performance.now() - t0;
  return { steps: (frame.length - start) * agents.length, intents, wall };
}

const k = (x: number) => `${(x / 1000).toFixed(1)}k`;
console.log(`machine: ${cpus()[0]?.model} × ${cpus().length}, node ${process.version}; signing: ${SIGNING}`);
const fw = await withFirewall();
console.log(
  `with firewall:  ${fw.agents} rule-based agents × ${fw.bars} bars = ${fw.steps} agent-steps in ${fw.wall.toFixed(0)} ms wall, ${fw.cpu.toFixed(0)} ms CPU`,
);
console.log(
  `                ${k((fw.steps / fw.wall) * 1000)} agent-steps/s wall (${k((fw.steps / fw.cpu) * 1000)}/s of CPU); ${fw.intents} intents (1 per ${(fw.steps / fw.intents).toFixed(0)} steps), each vetted, sent and recorded: ${fw.ledger} ledger records`,
);
console.log(`                ≈ ${((fw.cpu / fw.intents) * 1000).toFixed(0)} µs of CPU per intent, everything included`);
let fastest = Number.POSITIVE_INFINITY;
for (let round = 0; round < 3; round++) {
  const d = decideOnly(fw.frame, 200);
  fastest = Math.min(fastest, d.wall);
  console.log(
    `decide only:    ${d.steps} agent-steps in ${d.wall.toFixed(0)} ms → ${k((d.steps / d.wall) * 1000)} agent-steps/s (${d.intents} intents, not sent)`,
  );
}
// An estimate: the agents' deciding inside the firewall run costs about what it costs alone.
console.log(
  `behind intents: ≈ ${(((fw.cpu - fastest) / fw.intents) * 1000).toFixed(0)} µs of CPU per intent (vet, store transactions, paper venue, books, bar bookkeeping) once the fastest decide-only round (${fastest.toFixed(0)} ms) is taken out`,
);

// A floor for any design that records every verdict as its own hashed ledger record (signatures aside): the
// agents deciding alone, plus writing each of this run's verdict payloads as canonical JSON and hashing it once.
let writeHash = Number.POSITIVE_INFINITY;
for (let round = 0; round < 3; round++) {
  const t0 = performance.now();
  for (const p of fw.payloads) nodeHasher.sha256Hex(canonicalJson(p));
  writeHash = Math.min(writeHash, performance.now() - t0);
}
const floor = fastest + writeHash;
console.log(
  `floor:          ${fastest.toFixed(0)} ms deciding + ${writeHash.toFixed(0)} ms writing and hashing the ${fw.payloads.length} verdict payloads (${((writeHash / fw.payloads.length) * 1000).toFixed(1)} µs each) = ${floor.toFixed(0)} ms → at most ${k((fw.steps / floor) * 1000)} agent-steps/s with nothing else done`,
);
