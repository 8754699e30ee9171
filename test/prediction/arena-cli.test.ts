import { describe, expect, it } from 'vitest';
import { cli, tempHome } from '../support/cli.js';

describe('arbiter arena predict (built CLI)', () => {
  const home = tempHome('arbiter-predict-');

  it('runs agents to resolution and prints PnL and calibration, the same for the same seed', () => {
    const a = cli(home, ['arena', 'predict', '--seed', '9', '--markets', '4', '--steps', '120']);
    expect(a.code, a.err).toBe(0);
    expect(a.out).toContain('prediction arena, seed 9: 4 markets to resolution');
    expect(a.out).toMatch(/informed\s+-?\d+\.\d\d\s+\d+\s+\d+\s+0\.\d{3}\s+-\d\.\d{3}/);
    expect(a.out).toContain('calibration (probability the trades implied vs how often YES happened)');
    expect(a.out).toMatch(/n=\s*\d+\s+forecast 0\.\d\d\s+observed [01]\.\d\d/);
    const b = cli(home, ['arena', 'predict', '--seed', '9', '--markets', '4', '--steps', '120']);
    expect(b.out).toBe(a.out);
  });

  it('gives the result as JSON with every agent scored', () => {
    const r = cli(home, ['arena', 'predict', '--seed', '3', '--markets', '3', '--json']);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.markets).toHaveLength(3);
    for (const m of j.markets) {
      expect(m.question).toMatch(/^Will .+\?$/);
      expect(m.resolutionSource).toContain('synthetic');
      expect(['YES', 'NO']).toContain(m.outcome);
    }
    expect(j.agents.map((a: { id: string }) => a.id).sort()).toEqual(['favourite', 'informed', 'momentum']);
    for (const a of j.agents) expect(a.calibration.forecasts).toBe(a.trades);
  });

  it('names a bad option and what it accepts', () => {
    const r = cli(home, ['arena', 'predict', '--markets', 'lots']);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('INVALID_OPTION: --markets=lots (an integer from 1 to 200)');
  });
});
