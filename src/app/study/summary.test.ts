import { describe, expect, it } from 'vitest';
import { equityCurve, mulberry32, normalSampler } from '../../core/stats/index.js';
import { parseStudyOptions, type RunSpec } from './plan.js';
import { FAN_POINTS, type RunOutcome } from './run-one.js';
import { summarise } from './summary.js';

const o = parseStudyOptions({ seeds: 20, windows: 0, bootstrap: 500 });
function agent(id: string, drift: number, noise: () => number) {
  const returns = Float64Array.from({ length: 300 }, () => drift + 0.004 * noise());
  const equity = equityCurve(returns);
  return {
    id,
    prompts: 1,
    totalReturn: equity[equity.length - 1]! - 1,
    sharpe: 0,
    returns,
    fan: Array.from({ length: FAN_POINTS }, (_, k) => equity[Math.round((k * 300) / (FAN_POINTS - 1))]!),
    // 'skilled' stands for an LLM agent: each run's model calls cost $0.25 (10 calls, 1,000 + 200 tokens)
    spend:
      id === 'skilled'
        ? { model: 'm-1', calls: 10, input_tokens: 1000, output_tokens: 200, cost_usd: 0.25, priced: true }
        : null,
  };
}

function study(edgeDrift: number) {
  const noise = normalSampler(mulberry32(5));
  const specs: RunSpec[] = [];
  const outcomes: RunOutcome[] = [];
  for (let i = 0; i < 40; i++) {
    const control = i >= 20;
    specs.push({
      index: i,
      market: control ? 'null-walk' : 'synthetic',
      control,
      seed: i,
      source: 'x',
      offset: 0,
      label: `${i}`,
    });
    const agents = [agent('skilled', control ? 0 : edgeDrift, noise), agent('lucky', 0, noise)].map((a) => ({
      ...a,
      sharpe: (() => {
        let m = 0;
        for (const r of a.returns) m += r;
        m /= a.returns.length;
        let v = 0;
        for (const r of a.returns) v += (r - m) ** 2;
        return m / Math.sqrt(v / (a.returns.length - 1));
      })(),
    }));
    outcomes.push({ index: i, bars: 300, timeframeMs: 3_600_000, agents });
  }
  return summarise(o, specs, outcomes);
}

describe('study verdicts', () => {
  it('says yes for a steady edge the null control does not have, no for a zero-drift agent', () => {
    const s = study(0.001);
    const [skilled, lucky] = s.agents;
    expect(s.study.trials).toBe(2 * 20);
    expect(skilled!.dsr).toBeGreaterThanOrEqual(0.95);
    expect(skilled!.edge_over_null.ci95[0]).toBeGreaterThan(0);
    expect(skilled!.verdict.distinguishable).toBe(true);
    expect(skilled!.verdict.line).toMatch(/^skilled: edge distinguishable from luck at 95 %: yes/);
    expect(lucky!.verdict.distinguishable).toBe(false);
    expect(lucky!.verdict.line).toMatch(/^lucky: edge distinguishable from luck at 95 %: no/);
    expect(s.agents[0]!.rank.mean).toBe(1);
  });

  it('sums an LLM agent’s model spend over every run, markets and null control; a rule-based agent has none', () => {
    const [skilled, lucky] = study(0.001).agents;
    expect(skilled!.llm).toEqual({
      model: 'm-1',
      runs: 40,
      calls: 400,
      input_tokens: 40_000,
      output_tokens: 8000,
      cost_usd: 10,
      cost_per_run_usd: 0.25,
      priced: true,
    });
    expect(lucky!.llm).toBeNull();
  });

  it('is the same for the same runs and seed (bootstrap included)', () => {
    expect(JSON.stringify(study(0.0005))).toBe(JSON.stringify(study(0.0005)));
  });
});
