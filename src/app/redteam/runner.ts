import { Harness } from './harness.js';
import { raceForLastUnit } from './race.js';
import { SCENARIOS, type ScenarioResult } from './scenarios.js';

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
  for (const s of SCENARIOS) {
    const h = new Harness(s.options);
    try {
      const r = await s.run(h);
      results.push({ id: s.id, kind: s.kind, name: s.name, ...r });
    } catch (e) {
      results.push({ id: s.id, kind: s.kind, name: s.name, safe: false, detail: `threw: ${(e as Error).message}` });
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
    results.push({
      id: 'A55',
      kind: 'attack',
      name: `${n} processes race for the last daily trade`,
      safe: daily.allowed <= 1 && daily.errors.length === 0,
      detail: `allowed=${daily.allowed} decisions=${daily.decisions.join(',')}${daily.errors.length ? ` errors=${daily.errors.join(' | ')}` : ''}`,
    });
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
    results.push({
      id: 'A56',
      kind: 'attack',
      name: `${n} processes race for the last unit of exposure`,
      safe: exposure.allowed <= 1 && exposure.errors.length === 0,
      detail: `allowed=${exposure.allowed} decisions=${exposure.decisions.join(',')}${exposure.errors.length ? ` errors=${exposure.errors.join(' | ')}` : ''}`,
    });
  }
  const attacks = results.filter((r) => r.kind === 'attack');
  const controls = results.filter((r) => r.kind === 'control');
  return {
    attacks: attacks.length,
    controls: controls.length,
    unsafe_allowed: attacks.filter((r) => !r.safe).length,
    false_rejects: controls.filter((r) => !r.safe).length,
    results,
  };
}
