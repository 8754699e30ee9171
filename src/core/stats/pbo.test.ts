import { describe, expect, it } from 'vitest';
import { mean } from './descriptive.js';
import { matrixFromColumns, meanMetric, type ReturnsMatrix } from './matrix.js';
import { binomial, pbo } from './pbo.js';
import { sharpe } from './performance.js';
import { averageRanks } from './ranks.js';
import { mulberry32, normalSampler } from './rng.js';

function noiseMatrix(seed: number, nObs: number, nStrategies: number, scale = 0.01): ReturnsMatrix {
  const z = normalSampler(mulberry32(seed));
  const data = new Float64Array(nObs * nStrategies);
  for (let i = 0; i < data.length; i++) data[i] = scale * z();
  return { data, nObs, nStrategies };
}

// Straight from the paper: materialise every IS/OOS split and recompute the measure on raw rows.
function naiveCscv(matrix: ReturnsMatrix, partitions: number, measure: (x: number[]) => number) {
  const { data, nObs: T, nStrategies: N } = matrix;
  const len = Math.floor(T / partitions);
  const drop = T - partitions * len;
  const combos: number[][] = [];
  const choose = (start: number, picked: number[]) => {
    if (picked.length === partitions / 2) return void combos.push([...picked]);
    for (let s = start; s < partitions; s++) choose(s + 1, [...picked, s]);
  };
  choose(0, []);
  return combos.map((isBlocks) => {
    const rowsOf = (blocks: number[]) =>
      blocks.flatMap((b) => Array.from({ length: len }, (_, k) => drop + b * len + k));
    const isRows = rowsOf(isBlocks);
    const oosRows = rowsOf([...Array(partitions).keys()].filter((b) => !isBlocks.includes(b)));
    const isPerf = Array.from({ length: N }, (_, j) => measure(isRows.map((t) => data[j * T + t]!)));
    const oosPerf = Array.from({ length: N }, (_, j) => measure(oosRows.map((t) => data[j * T + t]!)));
    const best = isPerf.indexOf(Math.max(...isPerf));
    const omega = averageRanks(oosPerf)[best]! / (N + 1);
    return { logit: Math.log(omega / (1 - omega)), isBest: isPerf[best]!, oosBest: oosPerf[best]! };
  });
}

describe('pbo', () => {
  it('evaluates all C(16, 8) = 12,870 splits by default', () => {
    expect(binomial(16, 8)).toBe(12870);
    expect(binomial(10, 5)).toBe(252);
    const result = pbo(noiseMatrix(1, 160, 3));
    expect(result.nCombinations).toBe(12870);
    expect(result.logits).toHaveLength(12870);
    expect(result.blockLength).toBe(10);
  });

  it('matches a naive recomputation of every split from raw rows to 1e-9', () => {
    const m = noiseMatrix(42, 63, 6);
    // A strategy whose mean dwarfs its volatility stresses the block-aggregate variance.
    for (let t = 0; t < 63; t++) m.data[5 * 63 + t] = 0.05 + 0.0001 * m.data[5 * 63 + t]!;
    for (let t = 0; t < 63; t++) m.data[t]! += 0.004;
    const fast = pbo(m, { partitions: 6 });
    const naive = naiveCscv(m, 6, sharpe);
    expect(fast.droppedRows).toBe(3);
    expect(fast.nCombinations).toBe(naive.length);
    naive.forEach((split, c) => {
      expect(fast.logits[c]).toBeCloseTo(split.logit, 9);
      expect(fast.inSampleBest[c]).toBeCloseTo(split.isBest, 9);
      expect(fast.outOfSampleOfBest[c]).toBeCloseTo(split.oosBest, 9);
    });
    expect(fast.pbo).toBe(naive.filter((s) => s.logit <= 0).length / naive.length);
  });

  it('matches the naive recomputation with the mean-return metric too', () => {
    const m = noiseMatrix(7, 80, 5);
    const fast = pbo(m, { partitions: 8, metric: meanMetric });
    naiveCscv(m, 8, mean).forEach((split, c) => {
      expect(fast.logits[c]).toBeCloseTo(split.logit, 9);
      expect(fast.outOfSampleOfBest[c]).toBeCloseTo(split.oosBest, 12);
    });
  });

  it('averages about 0.5 when every strategy is pure noise', () => {
    // A single seed swings widely (the splits share data), so average over many seeds.
    const values = Array.from({ length: 24 }, (_, seed) => pbo(noiseMatrix(seed, 400, 20), { partitions: 8 }).pbo);
    expect(mean(values)).toBeGreaterThan(0.38);
    expect(mean(values)).toBeLessThan(0.62);
    const oneSeed = pbo(noiseMatrix(1, 1000, 50)).pbo;
    expect(oneSeed).toBeGreaterThan(0.1);
    expect(oneSeed).toBeLessThan(0.9);
  });

  it('is near 0 when one strategy has a real, persistent edge', () => {
    const m = noiseMatrix(1, 1000, 50);
    for (let t = 0; t < 1000; t++) m.data[t]! += 0.002; // per-period Sharpe ≈ 0.2
    const result = pbo(m);
    expect(result.pbo).toBeLessThan(0.05);
    expect(result.degradation.probabilityOfLoss).toBe(0);
    expect(result.degradation.meanOutOfSample).toBeGreaterThan(0.1);
  });

  it('is 1 when the in-sample winner is always the out-of-sample loser', () => {
    // B = −A and A sums to zero: whichever wins in sample has the opposite sign out of sample.
    const z = normalSampler(mulberry32(3));
    const raw = Float64Array.from({ length: 320 }, () => z());
    const centre = mean(raw);
    const a = raw.map((x) => x - centre);
    const result = pbo(matrixFromColumns([a, a.map((x) => -x)]));
    expect(result.pbo).toBe(1);
    for (const logit of result.logits) expect(logit).toBeCloseTo(Math.log(0.5), 12);
    expect(result.degradation.probabilityOfLoss).toBe(1);
    expect(result.degradation.slope).toBeLessThan(0);
  });

  it('drops the oldest rows when the partitions do not divide the sample', () => {
    const m = noiseMatrix(9, 165, 4);
    const trimmed = matrixFromColumns(Array.from({ length: 4 }, (_, j) => m.data.subarray(j * 165 + 5, (j + 1) * 165)));
    for (let j = 0; j < 4; j++) m.data[j * 165] = 1e6 * (j + 1); // garbage in the dropped rows
    const full = pbo(m, { partitions: 10 });
    expect(full.droppedRows).toBe(5);
    expect(full.logits).toEqual(pbo(trimmed, { partitions: 10 }).logits);
  });

  it('counts ties at the average rank', () => {
    // Two identical strategies tie everywhere: n* = 0 has average rank 1.5 of 2, ω = 0.5, λ = 0 (overfit).
    const z = normalSampler(mulberry32(12));
    const s = Float64Array.from({ length: 40 }, () => z());
    const result = pbo(matrixFromColumns([s, s]), { partitions: 4 });
    for (const logit of result.logits) expect(logit).toBe(0);
    expect(result.pbo).toBe(1);
  });

  it('rejects odd partitions, a single strategy and too little data', () => {
    expect(() => pbo(noiseMatrix(1, 100, 3), { partitions: 7 })).toThrow(RangeError);
    expect(() => pbo(noiseMatrix(1, 100, 1))).toThrow(RangeError);
    expect(() => pbo(noiseMatrix(1, 10, 3))).toThrow(RangeError);
    expect(() => pbo({ data: new Float64Array(5), nObs: 3, nStrategies: 2 })).toThrow(RangeError);
  });
});
