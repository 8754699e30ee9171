import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRoster } from '../../src/app/arena/roster.js';
import { builtinSpecs } from '../../src/core/arena/index.js';
import { parseIntent } from '../../src/core/firewall/intent.js';
import { arena, REAL_BTC } from './support/fixtures.js';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'my-agent.ts');

describe('built-in agents on real 2024 BTC hourly bars', () => {
  it('each produce well-formed intents that the firewall judges on their merits', async () => {
    const roster = await buildRoster('all', [EXAMPLE]);
    const a = await arena(
      roster.map((r) => r.agent),
      { source: `csv:${REAL_BTC}`, bars: 1_400, warmup: 200 },
    );
    await a.engine.run();
    const { traces } = a.engine;
    for (const spec of builtinSpecs()) {
      const mine = traces.filter((t) => t.agent === spec.id);
      expect(mine.length, `${spec.id} never traded`).toBeGreaterThan(0);
      for (const t of mine) {
        expect(parseIntent(t.intent).ok, `${spec.id} bar ${t.bar}: ${JSON.stringify(t.intent)}`).toBe(true);
        expect(t.reason, `${spec.id} bar ${t.bar} has no reason`).toBeTruthy();
        expect(t.verdict_id).toBe(`vdt_${spec.id}.${t.bar}`);
        expect(t.reasons).not.toContain('INTENT_MALFORMED');
      }
      const passed = mine.filter((t) => t.decision === 'ALLOW' || t.decision === 'ALLOW_CAPPED');
      expect(passed.length, `${spec.id}: nothing passed the firewall`).toBeGreaterThan(0);
    }
    expect(traces.filter((t) => t.reason?.startsWith('AGENT_ERROR'))).toEqual([]);
    expect(
      traces.some((t) => t.agent === 'ema-12-48'),
      'the example agent file traded',
    ).toBe(true);
    // The arena's books agree with the paper venue's accounts after every fill and funding payment.
    expect(a.engine.books.mismatches).toBe(0);
    const carry = a.engine.trades.filter((t) => t.agent === 'funding-carry-1bp' && t.symbol.includes(':'));
    expect(carry.length, 'funding carry traded the perpetual').toBeGreaterThan(0);
    expect(a.engine.portfolio.funding[a.engine.agentIds.indexOf('funding-carry-1bp')]).toBeLessThan(0);
    await a.close();
  });
});
