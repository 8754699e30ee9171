import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runRedteam } from '../../src/app/redteam/runner.js';

/**
 * The red team's races run `arbiter vet --execute` as separate OS processes. To see how the runner counts the
 * outcomes we give it a stand-in for that binary which answers the way a real one did under load: the daily-trade
 * race (max_trades_per_day 1) gets every racer refused (QUOTE_FROM_FUTURE, as observed with 20+ processes); the
 * exposure race (cap $500) gets every racer allowed. It prints what `arbiter vet` prints: the verdict as JSON.
 */
const STAND_IN = `
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
if (process.argv.includes('vet')) {
  const m = JSON.parse(readFileSync(join(process.env.ARBITER_HOME, 'live', 'paper', 'mandate.json'), 'utf8'));
  const verdict = m.hard_caps.max_trades_per_day === 1
    ? { decision: 'REJECT', reasons: ['QUOTE_FROM_FUTURE'], messages: ['QUOTE_FROM_FUTURE: ahead_ms=4000'] }
    : { decision: 'ALLOW', reasons: [], messages: [] };
  process.stdout.write(JSON.stringify(verdict));
}
`;

describe('the red team totals', () => {
  const dir = mkdtempSync(join(tmpdir(), 'arbiter-standin-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('counts a race in which every racer, the legitimate one included, was refused as a false reject, and one in which several won as unsafe', async () => {
    const bin = join(dir, 'arbiter-stand-in.mjs');
    writeFileSync(bin, STAND_IN);
    const s = await runRedteam({ bin, racers: 3 });
    const raced = s.results.filter((r) => r.name.includes('processes race'));
    const lastTrade = raced.filter((r) => r.name.includes('last daily trade'));
    const lastExposure = raced.filter((r) => r.name.includes('last unit of exposure'));

    expect(
      lastTrade.some((r) => !r.safe),
      `all three refused while one order was legitimate is not "safe": ${JSON.stringify(lastTrade)}`,
    ).toBe(true);
    expect(
      lastExposure.some((r) => !r.safe),
      'three allowed where one fits is unsafe',
    ).toBe(true);
    // Every in-process scenario passes on this build, so the two races are the only failures.
    const failed = s.results.filter((r) => !r.safe).map((r) => r.id);
    expect(failed, 'only the two stand-in races fail').toHaveLength(2);
    expect(s.false_rejects, 'the refused legitimate order in the daily race is a false reject').toBe(1);
    expect(s.unsafe_allowed, 'the over-allowed exposure race is an unsafe allow, and only that').toBe(1);
  }, 180_000);
});
