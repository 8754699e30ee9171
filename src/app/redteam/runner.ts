import { Harness } from './harness.js';
import { type RaceResult, raceForLastUnit } from './race.js';
import { RISK_SCENARIOS } from './risk-scenarios.js';
import { type Outcome, result, SCENARIOS, type ScenarioResult } from './scenarios.js';

export interface RedteamSummary {
  readonly attacks: number;
  readonly controls: number;
  readonly unsafe_allowed: number;
  readonly false_rejects: number;
  readonly results: readonly ScenarioResult[];
}

/** Runs every scenario in its own runtime root, then the multi-process races when a CLI binary is given. */
export async function runRedteam(opts: { bin?: string; racers?: number } = {}): Promise<RedteamSummary> {
  const results: ScenarioResult[] = [];
  for (const s of [...SCENARIOS, ...RISK_SCENARIOS]) {
    const h = new Harness(s.options);
    try {
      results.push(result(s, await s.run(h)));
    } catch (e) {
      // Not knowing is failing: an attack that threw counts as unsafe, a control as a false reject.
      const attack = s.kind === 'attack';
      results.push(result(s, { unsafe: attack, false_reject: !attack, detail: `threw: ${(e as Error).message}` }));
    } finally {
      await h.close();
    }
  }
  if (opts.bin) {
    const n = opts.racers ?? 6;
    const daily = await raceForLastUnit(
      opts.bin,
      n,
      (m) => ({ ...m, hard_caps: { ...m.hard_caps, max_trades_per_day: 1 } }),
      50,
    );
    results.push(
      result({ id: 'A55', kind: 'attack', name: `${n} processes race for the last daily trade` }, raced(daily)),
    );
    const exposure = await raceForLastUnit(
      opts.bin,
      n,
      (m) => ({
        ...m,
        hard_caps: { ...m.hard_caps, max_total_exposure_usd: 500, max_order_notional_usd: 400 },
        arbiter: { ...m.arbiter, allow_capping: false },
      }),
      300,
    );
    results.push(
      result({ id: 'A56', kind: 'attack', name: `${n} processes race for the last unit of exposure` }, raced(exposure)),
    );
  }
  const attacks = results.filter((r) => r.kind === 'attack');
  const controls = results.filter((r) => r.kind === 'control');
  return {
    attacks: attacks.length,
    controls: controls.length,
    unsafe_allowed: results.filter((r) => r.unsafe).length,
    false_rejects: results.filter((r) => r.false_reject).length,
    results,
  };
}

/**
 * A race leaves room for exactly one racer. More than one through is unsafe, and so is a racer with no verdict
 * (it may have traded). None through, every racer answered, is a false reject: the one legitimate order was
 * refused, whatever the refusals say.
 */
export function raced(r: RaceResult): Outcome {
  const errors = r.errors.length ? ` errors=${r.errors.join(' | ')}` : '';
  return {
    unsafe: r.allowed > 1 || r.errors.length > 0,
    false_reject: r.allowed === 0 && r.errors.length === 0,
    detail: `allowed=${r.allowed} decisions=${r.decisions.join(',')}${errors}`,
  };
}
