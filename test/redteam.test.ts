import { describe, expect, it } from 'vitest';
import { runRedteam } from '../src/app/redteam/runner.js';
import { BIN } from './support/cli.js';

describe('red team', () => {
  it('blocks every attack and passes every control, including multi-process races', async () => {
    const s = await runRedteam({ bin: BIN, racers: 6 });
    const failed = s.results.filter((r) => !r.safe).map((r) => `${r.id} ${r.name}: ${r.detail}`);
    expect(failed).toEqual([]);
    expect(s.attacks).toBeGreaterThanOrEqual(40);
    expect(s.controls).toBeGreaterThanOrEqual(3);
    expect(s.unsafe_allowed).toBe(0);
    expect(s.false_rejects).toBe(0);
  }, 120_000);
});
