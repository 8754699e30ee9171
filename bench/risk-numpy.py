#!/usr/bin/env python3
"""The numpy side of bench/risk.bench.ts: the same two computations at the same sizes, timed the same way
(median of RUNS after WARMUP). Prints one JSON line. Run: python3 bench/risk-numpy.py"""
import json
import sys
import time

import numpy as np
from scipy.stats import norm

N_INST, T_OBS = 50, 2_000
PATHS, STEPS, BLOCK, CHUNK = 10_000, 2_000, 13, 1_000
RUNS, WARMUP = int(sys.argv[1]) if len(sys.argv) > 1 else 5, 1

rng = np.random.default_rng(20261202)
returns = rng.normal(0, 0.01, size=(T_OBS, N_INST)) + rng.normal(0, 0.01, size=(T_OBS, 1))
weights = np.full(N_INST, 1 / N_INST)
series = returns[:, 0].copy()


def portfolio_var():
    cov = np.cov(returns, rowvar=False)
    sw = cov @ weights
    sd = np.sqrt(weights @ sw)
    z = norm.ppf(0.01)
    var = z * sd
    es = -sd * norm.pdf(z) / 0.01
    component = weights * z * sw / sd
    hist = np.quantile(returns @ weights, 0.01)
    return var, es, component.sum(), hist


def drawdown_stats(r):
    wealth = np.cumprod(1 + r, axis=1)
    peak = np.maximum.accumulate(np.maximum(wealth, 1.0), axis=1)
    return ((peak - wealth) / peak).max(axis=1), wealth[:, -1], (wealth <= 0.5).any(axis=1)


def monte_carlo(method):
    g = np.random.default_rng(1)
    dds, terms, ruined = [], [], 0
    mu, sd = series.mean(), series.std(ddof=1)
    for _ in range(PATHS // CHUNK):
        if method == 'parametric':
            r = mu + sd * g.standard_normal((CHUNK, STEPS))
        else:
            blocks = -(-STEPS // BLOCK)
            starts = g.integers(0, T_OBS, size=(CHUNK, blocks))
            idx = (starts[:, :, None] + np.arange(BLOCK)[None, None, :]).reshape(CHUNK, -1)[:, :STEPS] % T_OBS
            r = series[idx]
        dd, term, ruin = drawdown_stats(r)
        dds.append(dd)
        terms.append(term)
        ruined += int(ruin.sum())
    dd = np.concatenate(dds)
    return np.quantile(dd, [0.05, 0.5, 0.95]), ruined / PATHS


def timed(fn, runs):
    for _ in range(WARMUP):
        fn()
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    out.sort()
    return out[len(out) // 2]


print(
    json.dumps(
        {
            'numpy': np.__version__,
            'portfolio_var_s': timed(portfolio_var, RUNS * 4),
            'mc_bootstrap_s': timed(lambda: monte_carlo('bootstrap'), RUNS),
            'mc_parametric_s': timed(lambda: monte_carlo('parametric'), RUNS),
        }
    )
)
