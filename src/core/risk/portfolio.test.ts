import { describe, expect, it } from 'vitest';
import { riskReference } from '../../../test/fixtures/risk/reference.js';
import { mean } from '../stats/descriptive.js';
import {
  beta,
  correlationMatrix,
  covarianceMatrix,
  covarianceToCorrelation,
  herfindahl,
  ledoitWolf,
} from './correlation.js';
import { portfolioRisk } from './portfolio.js';

const ref = riskReference();

function expectMatrixClose(actual: number[][], expected: number[][], digits: number, label: string): void {
  expect(actual.length, label).toBe(expected.length);
  actual.forEach((row, i) => {
    row.forEach((v, j) => {
      expect(v, `${label}[${i}][${j}]`).toBeCloseTo(expected[i]![j]!, digits);
    });
  });
}

describe('covariance and correlation against numpy/scipy (scripts/risk-reference.py)', () => {
  it('covariance matches numpy.cov, Pearson matches numpy.corrcoef and Spearman matches scipy.stats.spearmanr', () => {
    expectMatrixClose(covarianceMatrix(ref.assets), ref.covariance, 15, 'cov');
    expectMatrixClose(correlationMatrix(ref.assets), ref.pearson, 12, 'pearson');
    expectMatrixClose(correlationMatrix(ref.assets, 'spearman'), ref.spearman, 12, 'spearman');
  });

  it('Ledoit-Wolf shrinkage matches scikit-learn’s estimator written in numpy', () => {
    const lw = ledoitWolf(ref.assets);
    expect(lw.shrinkage).toBeCloseTo(ref.ledoitWolf.shrinkage, 10);
    expectMatrixClose(lw.covariance, ref.ledoitWolf.covariance, 14, 'lw');
  });

  it('beta matches the slope of numpy.polyfit against the fifth series', () => {
    ref.beta.forEach((b, i) => {
      expect(beta(ref.assets[i]!, ref.assets[4]!), `beta ${i}`).toBeCloseTo(b, 12);
    });
  });

  it('refuses series of different lengths, saying which', () => {
    expect(() =>
      covarianceMatrix([
        [1, 2, 3],
        [1, 2],
      ]),
    ).toThrow(/series 1 has 2 observations, series 0 has 3/);
  });

  it('covarianceToCorrelation of the sample covariance is the Pearson matrix', () => {
    expectMatrixClose(covarianceToCorrelation(ref.covariance), ref.pearson, 12, 'corr');
  });
});

describe('herfindahl', () => {
  it('is 1/N for equal sizes, 1 for a single position and counts shorts by size', () => {
    expect(herfindahl([0.25, 0.25, 0.25, 0.25])).toBeCloseTo(0.25, 15);
    expect(herfindahl([0, 0.4, 0])).toBe(1);
    expect(herfindahl([0.5, -0.5])).toBeCloseTo(0.5, 15);
    expect(herfindahl([0, 0])).toBeNaN();
  });
});

describe('portfolioRisk (gaussian)', () => {
  it('matches numpy/scipy VaR and ES, and finite-difference marginal VaR and ES', () => {
    const means = ref.assets.map((a) => mean(a));
    for (const c of ref.portfolio.cases) {
      const r = portfolioRisk({
        weights: ref.portfolio.weights,
        covariance: ref.covariance,
        ...(c.useMeans ? { means } : {}),
        p: c.p,
        horizon: c.horizon,
      });
      expect(r.var, `VaR p=${c.p}`).toBeCloseTo(c.var, 12);
      expect(r.es, `ES p=${c.p}`).toBeCloseTo(c.es, 12);
      r.marginalVar.forEach((m, i) => {
        expect(m, `mVaR ${i}`).toBeCloseTo(c.marginalVar[i]!, 7);
      });
      r.marginalEs.forEach((m, i) => {
        expect(m, `mES ${i}`).toBeCloseTo(c.marginalEs[i]!, 7);
      });
    }
  });

  it('component VaR and ES add up to the portfolio figures (Euler allocation)', () => {
    const r = portfolioRisk({ weights: ref.portfolio.weights, covariance: ref.covariance, p: 0.99, horizon: 5 });
    expect(r.componentVar.reduce((s, v) => s + v, 0)).toBeCloseTo(r.var, 14);
    expect(r.componentEs.reduce((s, v) => s + v, 0)).toBeCloseTo(r.es, 14);
  });

  it('five perfectly correlated positions carry five times the VaR of one, not √5 times', () => {
    const v = 0.02 ** 2;
    const same = Array.from({ length: 5 }, () => Array(5).fill(v));
    const independent = same.map((row, i) => row.map((x, j) => (i === j ? x : 0)));
    const one = portfolioRisk({ weights: [0.1], covariance: [[v]], p: 0.95 }).var;
    const w = Array(5).fill(0.1);
    expect(portfolioRisk({ weights: w, covariance: same, p: 0.95 }).var).toBeCloseTo(5 * one, 14);
    expect(portfolioRisk({ weights: w, covariance: independent, p: 0.95 }).var).toBeCloseTo(Math.sqrt(5) * one, 14);
  });

  it('refuses a covariance matrix whose shape does not match the weights', () => {
    expect(() => portfolioRisk({ weights: [0.5, 0.5], covariance: [[1]], p: 0.95 })).toThrow(
      /covariance must be 2×2 to match 2 weights/,
    );
    expect(() => portfolioRisk({ weights: [1], covariance: [[1]], p: 0.95, horizon: 0 })).toThrow(/horizon/);
  });
});
