// arbiter/risk at the issue's sizes, beside the same computation in numpy when python3 has it:
//   1. portfolio VaR of 50 instruments × 2,000 returns: sample covariance, gaussian VaR/ES with component VaR,
//      and the historical VaR of the portfolio's return series;
//   2. Monte Carlo of 10,000 paths × 2,000 steps (20 M steps): max-drawdown quantiles and probability of ruin,
//      circular block bootstrap (blocks of 13) and parametric (normal).
// Run: npm run bench:risk   (BENCH_RUNS=5 by default; prints medians; numpy with one BLAS thread)
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { covarianceMatrix, monteCarlo, portfolioRisk, valueAtRisk } from '../src/core/risk/index.js';
import { mulberry32, normalSampler } from '../src/core/stats/index.js';

const N_INST = 50;
const T_OBS = 2_000;
const PATHS = 10_000;
const STEPS = 2_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

const z = normalSampler(mulberry32(20261202));
const columns = Array.from({ length: N_INST }, () => new Float64Array(T_OBS));
for (let t = 0; t < T_OBS; t++) {
  const market = 0.01 * z();
  for (const c of columns) c[t] = market + 0.01 * z();
}
const weights = new Array<number>(N_INST).fill(1 / N_INST);
const series = columns[0]!;

function portfolioVar(): number {
  const covariance = covarianceMatrix(columns);
  const r = portfolioRisk({ weights, covariance, p: 0.99 });
  const book = new Float64Array(T_OBS);
  for (let i = 0; i < N_INST; i++) for (let t = 0; t < T_OBS; t++) book[t]! += weights[i]! * columns[i]![t]!;
  return r.var + r.componentVar[0]! + valueAtRisk(book, { p: 0.99, method: 'historical' });
}

function mc(method: 'bootstrap' | 'parametric'): number {
  return monteCarlo(series, { paths: PATHS, steps: STEPS, seed: 1, method, blockSize: 13 }).probabilityOfRuin;
}

function median(fn: () => unknown, runs: number): number {
  fn();
  const s: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    s.push((performance.now() - t) / 1000);
  }
  s.sort((a, b) => a - b);
  return s[Math.floor(runs / 2)]!;
}

const ts = {
  portfolio_var_s: median(portfolioVar, RUNS * 4),
  mc_bootstrap_s: median(() => mc('bootstrap'), RUNS),
  mc_parametric_s: median(() => mc('parametric'), RUNS),
};

const script = fileURLToPath(new URL('./risk-numpy.py', import.meta.url));
// One BLAS thread: arbiter/risk runs on one core, and on a loaded 2-core machine OpenBLAS's spinning threads make
// numpy's small matrix products swing between 0.4 and 60 ms.
const py = spawnSync('python3', [script, String(RUNS)], {
  encoding: 'utf8',
  env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
});
let np: Record<string, number | string> | null = null;
if (py.status === 0) np = JSON.parse(py.stdout.trim().split('\n').pop()!);

const fmt = (s: number | string | undefined) => (typeof s === 'number' ? `${(s * 1000).toFixed(1)} ms` : 'n/a');
console.log(
  `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}; load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
console.log(
  `node ${process.version}; numpy ${np ? np.numpy : `not available (${(py.stderr || py.error?.message || '').trim().split('\n').pop()})`}`,
);
console.log(`medians of ${RUNS} runs (portfolio VaR: ${RUNS * 4})      arbiter/risk      numpy`);
console.log(
  `portfolio VaR, ${N_INST} instruments × ${T_OBS} returns   ${fmt(ts.portfolio_var_s).padStart(10)}  ${fmt(np?.portfolio_var_s).padStart(10)}`,
);
console.log(
  `Monte Carlo bootstrap, ${PATHS} × ${STEPS}        ${fmt(ts.mc_bootstrap_s).padStart(10)}  ${fmt(np?.mc_bootstrap_s).padStart(10)}`,
);
console.log(
  `Monte Carlo parametric, ${PATHS} × ${STEPS}       ${fmt(ts.mc_parametric_s).padStart(10)}  ${fmt(np?.mc_parametric_s).padStart(10)}`,
);
