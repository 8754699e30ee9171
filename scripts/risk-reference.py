#!/usr/bin/env python3
"""Reference values for src/core/risk, computed independently with numpy and scipy.

Writes test/fixtures/risk/reference.json; the TypeScript tests compare against it, so CI needs no Python.
Run from the repository root:  python3 scripts/risk-reference.py

Independence: quantiles come from numpy.quantile (type 7); moments from scipy.stats (bias=True);
gaussian ES from scipy.stats.norm.expect (numerical integration); modified ES by numerically integrating
x times the Edgeworth (Gram-Charlier) density with scipy.integrate.quad, not by the closed-form moments
the library uses; marginal VaR by central finite differences; Kelly by maximising E[log wealth] with
scipy.optimize; Ledoit-Wolf in scikit-learn's matrix formulation; Spearman by scipy.stats.spearmanr.
Monte Carlo re-implements Mulberry32 and the Box-Muller sampler of src/core/stats/rng.ts.
"""
import json
import math
from pathlib import Path

import numpy as np
from scipy import integrate, optimize, stats

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "test" / "fixtures" / "risk"


def load_edhec():
    lines = (FIX / "edhec-convertible-arbitrage.csv").read_text().strip().splitlines()[1:]
    return np.array([float(l.split(",")[1]) for l in lines])


def var_es(x, p, method):
    a = 1 - p
    if method == "historical":
        q = np.quantile(x, a)
        tail = x[x < q]
        return q, (tail.mean() if tail.size else q)
    mu, sd = x.mean(), x.std(ddof=0)
    if method == "gaussian":
        q = stats.norm.ppf(a, loc=mu, scale=sd)
        es = stats.norm.expect(lambda v: v, loc=mu, scale=sd, ub=q, conditional=True)
        return q, es
    s = stats.skew(x, bias=True)
    k = stats.kurtosis(x, fisher=True, bias=True)
    z = stats.norm.ppf(a)
    h = z + (z * z - 1) * s / 6 + (z**3 - 3 * z) * k / 24 - (2 * z**3 - 5 * z) * s * s / 36

    def he(n, u):
        return {3: u**3 - 3 * u, 4: u**4 - 6 * u**2 + 3, 6: u**6 - 15 * u**4 + 45 * u**2 - 15}[n]

    def density(u):
        return stats.norm.pdf(u) * (1 + s / 6 * he(3, u) + k / 24 * he(4, u) + s * s / 72 * he(6, u))

    tail, _ = integrate.quad(lambda u: u * density(u), -np.inf, h, epsabs=1e-14, epsrel=1e-13, limit=200)
    return mu + h * sd, mu + sd * min(tail / a, h)


def portfolio(w, cov, means, p, horizon):
    a = 1 - p

    def risk(weights):
        sd = math.sqrt(weights @ cov @ weights * horizon)
        loc = weights @ means * horizon
        return loc + stats.norm.ppf(a) * sd, loc - sd * stats.norm.pdf(stats.norm.ppf(a)) / a

    v, e = risk(w)
    eps = 1e-6
    mv, me = [], []
    for i in range(len(w)):
        up, dn = w.copy(), w.copy()
        up[i] += eps
        dn[i] -= eps
        mv.append((risk(up)[0] - risk(dn)[0]) / (2 * eps))
        me.append((risk(up)[1] - risk(dn)[1]) / (2 * eps))
    return {"var": v, "es": e, "marginalVar": mv, "marginalEs": me}


def ledoit_wolf(X):
    X = X - X.mean(axis=0)
    n, p = X.shape
    emp = X.T @ X / n
    mu = np.trace(emp) / p
    X2 = X**2
    beta_ = np.sum(X2.T @ X2)
    delta_ = np.sum(emp**2)
    beta = (beta_ / n - delta_) / (p * n)
    delta = (delta_ - 2 * mu * np.trace(emp) + p * mu * mu) / p
    beta = min(beta, delta)
    shrink = 0.0 if beta == 0 else beta / delta
    return (1 - shrink) * emp + shrink * mu * np.eye(p), shrink


def mulberry32(seed):
    state = seed & 0xFFFFFFFF

    def imul(a, b):
        return (a * b) & 0xFFFFFFFF

    def nxt():
        nonlocal state
        state = (state + 0x6D2B79F5) & 0xFFFFFFFF
        t = state
        t = imul(t ^ (t >> 15), t | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296

    return nxt


def monte_carlo(x, paths, steps, seed, method, block, floor, levels):
    rng = mulberry32(seed)
    spare = [None]

    def normal():
        if spare[0] is not None:
            z, spare[0] = spare[0], None
            return z
        radius = math.sqrt(-2 * math.log(1 - rng()))
        angle = 2 * math.pi * rng()
        spare[0] = radius * math.sin(angle)
        return radius * math.cos(angle)

    n = len(x)
    mu, sd = x.mean(), x.std(ddof=1)
    dds, terms, ruined = [], [], 0
    for _ in range(paths):
        wealth, peak, worst, hit, cursor, left = 1.0, 1.0, 0.0, False, 0, 0
        for _ in range(steps):
            if method == "parametric":
                r = mu + sd * normal()
            else:
                if left == 0:
                    cursor = min(n - 1, math.floor(rng() * n))
                    left = block
                r = x[cursor]
                cursor = (cursor + 1) % n
                left -= 1
            wealth = 0.0 if r <= -1 else wealth * (1 + r)
            peak = max(peak, wealth)
            worst = max(worst, (peak - wealth) / peak)
            hit = hit or wealth <= floor
            if wealth == 0:
                break
        dds.append(worst)
        terms.append(wealth)
        ruined += hit
    dds, terms = np.array(dds), np.array(terms)
    return {
        "maxDrawdown": {"mean": dds.mean(), "quantiles": [np.quantile(dds, q) for q in levels]},
        "terminalWealth": {"mean": terms.mean(), "quantiles": [np.quantile(terms, q) for q in levels]},
        "probabilityOfRuin": ruined / paths,
    }


def kelly_numeric(p, b, a):
    res = optimize.minimize_scalar(
        lambda f: -(p * math.log1p(f * b) + (1 - p) * math.log1p(-f * a)),
        bounds=(-1 / b + 1e-12, 1 / a - 1e-12),
        method="bounded",
        options={"xatol": 1e-12},
    )
    return res.x


def main():
    edhec = load_edhec()
    out = {"generatedBy": "python3 scripts/risk-reference.py", "numpy": np.__version__}
    out["edhec"] = [
        {"p": p, "method": m, "var": v, "es": e}
        for p in (0.9, 0.95, 0.99)
        for m in ("historical", "gaussian", "modified")
        for v, e in [var_es(edhec, p, m)]
    ]
    rng = np.random.default_rng(20261202)
    corr = np.array(
        [
            [1.0, 0.8, 0.3, -0.2, 0.1],
            [0.8, 1.0, 0.25, -0.1, 0.0],
            [0.3, 0.25, 1.0, 0.4, 0.2],
            [-0.2, -0.1, 0.4, 1.0, 0.5],
            [0.1, 0.0, 0.2, 0.5, 1.0],
        ]
    )
    vols = np.array([0.02, 0.03, 0.015, 0.04, 0.025])
    cov_true = corr * np.outer(vols, vols)
    # Student-t(5) shocks: fat tails so Spearman and Pearson differ and Cornish-Fisher has work to do.
    shocks = rng.multivariate_normal(np.zeros(5), cov_true, size=300) / np.sqrt(rng.chisquare(5, size=(300, 1)) / 5)
    data = np.round(shocks + 0.0005, 6)
    out["assets"] = data.T.tolist()
    cov = np.cov(data, rowvar=False)
    out["covariance"] = cov.tolist()
    out["pearson"] = np.corrcoef(data, rowvar=False).tolist()
    out["spearman"] = stats.spearmanr(data).statistic.tolist()
    lw, shrink = ledoit_wolf(data)
    out["ledoitWolf"] = {"covariance": lw.tolist(), "shrinkage": shrink}
    out["beta"] = [np.polyfit(data[:, 4], data[:, i], 1)[0] for i in range(4)]
    w = np.array([0.3, 0.2, -0.1, 0.25, 0.15])
    means = data.mean(axis=0)
    out["portfolio"] = {
        "weights": w.tolist(),
        "cases": [
            {"p": p, "horizon": h, "useMeans": use, **portfolio(w, cov, means if use else np.zeros(5), p, h)}
            for p, h, use in ((0.95, 1, False), (0.99, 10, True))
        ],
    }
    out["kelly"] = [
        {"p": p, "b": b, "a": a, "numeric": kelly_numeric(p, b, a)}
        for p, b, a in ((0.6, 1, 1), (0.55, 2, 1), (0.3, 3, 0.5), (0.7, 0.5, 0.8))
    ]
    levels = [0.05, 0.5, 0.95]
    out["monteCarlo"] = [
        {
            "paths": 300,
            "steps": 120,
            "seed": seed,
            "method": method,
            "blockSize": 6,
            "ruinFloor": 0.9,
            "quantiles": levels,
            **monte_carlo(edhec, 300, 120, seed, method, 6, 0.9, levels),
        }
        for seed, method in ((42, "bootstrap"), (7, "parametric"))
    ]
    (FIX / "reference.json").write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
