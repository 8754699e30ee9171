import { describe, expect, it } from 'vitest';
import { parseArenaOptions } from '../../src/app/arena/options.js';
import { openArenaService } from '../../src/app/arena/service.js';
import { ArenaError } from '../../src/core/arena/index.js';
import { TEST_ISSUER } from './support/fixtures.js';

function service(deadlineMs: number, bars = 6) {
  const options = parseArenaOptions({ source: 'synthetic', bars: String(bars), warmup: '100', agents: 'buy-hold' });
  return openArenaService({ options, deadlineMs, window: 50, signer: TEST_ISSUER });
}

describe('the arena service (external agents)', () => {
  it('gives each joined agent the open bar and runs its intent through the firewall with everyone else', async () => {
    const { service: svc, close } = await service(5_000);
    expect(svc.join('alice')).toEqual({ agentId: 'alice', accountId: 'arena:alice' });
    svc.join('bob');
    const run = svc.run();
    const bar = await svc.nextRound();
    const obs = svc.observation('alice');
    expect(obs.bar).toBe(bar);
    expect(obs.instruments.spot.candles).toHaveLength(50);
    expect(obs.instruments.spot.candles.at(-1)![0]).toBeLessThan(obs.ts);
    expect(obs.account.equity).toBe(10_000);
    const alice = svc.submit('alice', { symbol: 'BTC/USDT', side: 'buy', notional: 2_000 });
    const bob = svc.submit('bob', null);
    expect(await svc.submit('alice', { symbol: 'BTC/USDT', side: 'buy', notional: 1 })).toMatchObject({
      accepted: false,
      reason: 'ALREADY_SUBMITTED',
    });
    const receipt = await alice;
    expect(receipt.accepted).toBe(true);
    if (!receipt.accepted) throw new Error('refused');
    expect(receipt.trace).toMatchObject({ agent: 'alice', bar, decision: 'ALLOW', verdict_id: `vdt_alice.${bar}` });
    expect(await bob).toEqual({ accepted: true, bar, trace: null });
    await svc.nextRound();
    expect(svc.observation('alice').account.positions.spot.quantity).toBeGreaterThan(0);
    // Both submitted every round so far: nobody waited for a deadline.
    const rest = (async () => {
      for (;;) {
        const b = await Promise.race([svc.nextRound(), run.then(() => -1)]);
        if (b < 0) return;
        svc.submit('alice', null);
        svc.submit('bob', null);
      }
    })();
    const engine = await run;
    await rest;
    expect(engine.done).toBe(true);
    expect(svc.misses()).toEqual({ alice: 0, bob: 0 });
    await close();
  });

  it('decides without an agent that misses the deadline, and refuses what comes too late', async () => {
    const { service: svc, close } = await service(40, 3);
    svc.join('slow');
    const started = performance.now();
    const engine = await svc.run();
    expect(performance.now() - started).toBeGreaterThanOrEqual(3 * 35);
    expect(svc.misses()).toEqual({ slow: 3 });
    expect(engine.traces.filter((t) => t.agent === 'slow')).toEqual([]);
    expect(await svc.submit('slow', { symbol: 'BTC/USDT', side: 'buy', notional: 100 })).toMatchObject({
      accepted: false,
      reason: 'ROUND_CLOSED',
    });
    expect(await svc.submit('nobody', null)).toMatchObject({ accepted: false, reason: 'ARENA_NOT_JOINED' });
    expect(() => svc.join('late')).toThrow(ArenaError);
    expect(() => svc.observation('nobody')).toThrow(/ARENA_NOT_JOINED/);
    await close();
  });
});
