// PBO (CSCV) throughput on the arena's reference size: T = 2,000 observations × N = 100 trials,
// S = 16 partitions (12,870 splits). Target ≤ 0.25 s per run on one 2.5 GHz core.
// Run: npx tsx bench/pbo.bench.ts
import { mulberry32, normalSampler, pbo } from '../src/core/stats/index.js';

const T = 2000;
const N = 100;
const S = 16;
const WARMUP = 3;
const RUNS = 9;

const normal = normalSampler(mulberry32(20240601));
const data = new Float64Array(T * N);
for (let i = 0; i < data.length; i++) data[i] = 0.01 * normal();
const matrix = { data, nObs: T, nStrategies: N };

for (let i = 0; i < WARMUP; i++) pbo(matrix, { partitions: S });

const seconds: number[] = [];
let result = pbo(matrix, { partitions: S });
for (let i = 0; i < RUNS; i++) {
  const start = performance.now();
  result = pbo(matrix, { partitions: S });
  seconds.push((performance.now() - start) / 1000);
}
seconds.sort((a, b) => a - b);
const median = seconds[Math.floor(RUNS / 2)]!;

console.log(`pbo T=${T} N=${N} S=${S} combinations=${result.nCombinations}`);
console.log(
  `median ${median.toFixed(4)} s  (min ${seconds[0]!.toFixed(4)} s, max ${seconds[RUNS - 1]!.toFixed(4)} s, ${RUNS} runs)`,
);
console.log(`pbo ${result.pbo.toFixed(4)}  degradation slope ${result.degradation.slope.toFixed(3)}`);
