import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AssembledArena } from '../../src/app/arena/assemble.js';
import { fromSpecs } from '../../src/app/arena/roster.js';
import { selectSpecs } from '../../src/core/arena/index.js';
import { arena, tempDir } from './support/fixtures.js';

class Crash extends Error {}

const AGENTS = 'buy-hold,random-1,momentum-20,funding-carry-1bp,q-learning-1,bollinger-20-2';

async function open(file: string): Promise<AssembledArena> {
  const agents = fromSpecs(selectSpecs(AGENTS)).map((r) => r.agent);
  return arena(agents, { storePath: file, persist: true, runId: 'live', bars: 120, checkpointEvery: 10 });
}

/** Everything a finished run leaves behind that must not depend on whether it was interrupted. */
async function outcome(a: AssembledArena) {
  const ledger = await a.store.ledgerRange(1, 1_000_000);
  return {
    ledger: ledger.map((r) => JSON.stringify(r)),
    checkpoints: JSON.stringify(await a.store.checkpoints()),
    equity: a.engine.equity.map((e) => [...e]),
    trades: a.engine.trades.map((t) => JSON.stringify(t)),
    traces: a.engine.traces.map((t) => JSON.stringify(t)),
    misses: a.engine.books.mismatches,
  };
}

function firstDifference(got: readonly string[], want: readonly string[]): string | null {
  for (let i = 0; i < Math.max(got.length, want.length); i++) {
    if (got[i] !== want[i]) return `#${i} of ${got.length}/${want.length}:\n got  ${got[i]}\n want ${want[i]}`;
  }
  return null;
}

/** Arms `obj[method]` to throw on its n-th call: the process "dies" there, mid-bar. */
function crashOn(obj: object, method: string, n: number): void {
  const o = obj as Record<string, (...args: unknown[]) => unknown>;
  const original = o[method]!.bind(obj);
  let calls = 0;
  o[method] = (...args: unknown[]) => {
    calls += 1;
    if (calls === n) throw new Crash(`crash in ${method} call ${n}`);
    return original(...args);
  };
}

const SCENARIOS: [string, (a: AssembledArena) => void][] = [
  ['between verdict and venue', (a) => crashOn(a.parts.deps.venues, 'get', 24)],
  ['between venue and recorded outcome', (a) => crashOn(a.store, 'recordOrderOutcome', 9)],
  ['while booking fills after an order', (a) => crashOn(a.parts.venue, 'peek', 12)],
  ['while catching a perpetual holder up at the bar open', (a) => crashOn(a.parts.venue, 'account', 7)],
  ['between the bar record and the resume point', (a) => crashOn(a.store, 'putDoc', 61)],
  ['while signing a checkpoint', (a) => crashOn(a.parts.ledger, 'checkpoint', 2)],
];

describe('a live arena killed at any point', () => {
  it.each(SCENARIOS)('resumes to the uninterrupted result when it dies %s', async (_name, arm) => {
    const reference = await open(join(tempDir(), 'arena.db'));
    await reference.engine.run();
    const expected = await outcome(reference);
    await reference.close();

    const file = join(tempDir(), 'arena.db');
    const dying = await open(file);
    arm(dying);
    await expect(dying.engine.run()).rejects.toBeInstanceOf(Crash);
    const stoppedAt = dying.engine.bar;
    await dying.close();

    const again = await open(file);
    expect(await again.engine.resume()).toBe(true);
    expect(again.engine.bar).toBeLessThanOrEqual(stoppedAt);
    await again.engine.run();
    const got = await outcome(again);
    await again.close();
    expect(got.misses).toBe(0);
    expect(firstDifference(got.ledger, expected.ledger), 'ledger').toBeNull();
    expect(got.checkpoints).toBe(expected.checkpoints);
    expect(got.equity).toEqual(expected.equity);
    expect(firstDifference(got.trades, expected.trades), 'trades').toBeNull();
    expect(firstDifference(got.traces, expected.traces), 'decision traces').toBeNull();
  });
});
