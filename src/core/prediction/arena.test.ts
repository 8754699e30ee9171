import { describe, expect, it } from 'vitest';
import { builtInPredictionAgents } from './agents.js';
import { predictionArenaMandate, runPredictionArena } from './arena.js';

describe('runPredictionArena', () => {
  const run = (seed: number) => runPredictionArena({ seed, agents: builtInPredictionAgents(), markets: 8 });

  it('is deterministic for a seed', () => {
    expect(JSON.stringify(run(42))).toBe(JSON.stringify(run(42)));
    expect(JSON.stringify(run(43))).not.toBe(JSON.stringify(run(42)));
  });

  it('runs every market to resolution and scores each agent by PnL and calibration', () => {
    const r = run(42);
    expect(r.markets).toHaveLength(8);
    for (const m of r.markets) expect(['YES', 'NO']).toContain(m.outcome);
    for (const a of r.agents) {
      expect(Number.isFinite(a.pnl)).toBe(true);
      expect(a.calibration.forecasts, a.id).toBe(a.trades);
      if (a.trades > 0) {
        expect(a.calibration.brier).toBeGreaterThanOrEqual(0);
        expect(a.calibration.brier).toBeLessThanOrEqual(1);
        expect(a.calibration.logScore).toBeLessThanOrEqual(0);
        expect(a.calibration.bins.reduce((n, b) => n + b.count, 0)).toBe(a.trades);
      }
    }
    const pnl = r.agents.map((a) => a.pnl);
    expect(pnl).toEqual([...pnl].sort((a, b) => b - a));
  });

  it('scores the informed agent better calibrated than the momentum agent over several seeds', () => {
    let informed = 0;
    let momentum = 0;
    for (const seed of [1, 2, 3, 4, 5]) {
      const r = run(seed);
      informed += r.agents.find((a) => a.id === 'informed')!.calibration.brier!;
      momentum += r.agents.find((a) => a.id === 'momentum')!.calibration.brier!;
    }
    expect(informed, `informed Brier ${informed / 5} vs momentum ${momentum / 5}`).toBeLessThan(momentum);
  });

  it("never lets an agent's cost basis pass the mandate's caps, per market or in total", () => {
    for (const seed of [1, 2, 3, 4]) {
      for (const a of run(seed).agents) {
        expect(a.peakCostBasis.market, `${a.id} seed ${seed}`).toBeLessThanOrEqual(2_000 + 1e-6);
        expect(a.peakCostBasis.total, `${a.id} seed ${seed}`).toBeLessThanOrEqual(8_000 + 1e-6);
      }
    }
    expect(run(1).agents.find((a) => a.id === 'informed')!.peakCostBasis.market).toBeGreaterThan(1_500);
  });

  it('holds every agent to the firewall: the cost-basis caps refuse orders', () => {
    const reasons = new Set<string>();
    for (const seed of [1, 2, 3])
      for (const a of run(seed).agents) for (const code of Object.keys(a.reasons)) reasons.add(code);
    expect([...reasons]).toContain('PREDICTION_COST_BASIS_EXCEEDS_CAP');
  });

  it("refuses new positions within the mandate's minimum time to resolution", () => {
    const base = predictionArenaMandate(Date.parse('2026-01-01T00:00:00Z'), 10_000);
    // 200 hourly steps: with 150 hours required, only the first 50 steps may open positions.
    const mandate = {
      ...base,
      arbiter: { ...base.arbiter, prediction: { ...base.arbiter.prediction, min_minutes_to_resolution: 150 * 60 } },
    };
    const strict = runPredictionArena({ seed: 1, agents: builtInPredictionAgents(), markets: 8, mandate });
    const refused = strict.agents.reduce((n, a) => n + (a.reasons.PREDICTION_RESOLUTION_TOO_SOON ?? 0), 0);
    expect(refused).toBeGreaterThan(0);
  });
});
