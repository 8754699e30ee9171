/**
 * How hard the seams battery pushes, in one place. `ARBITER_SEAMS=full` (see `npm run test:seams`) runs the
 * acceptance scale of issue 12; without it (inside `npm test`) every case runs a smaller version of itself so the
 * whole suite stays well inside CI time on two cores.
 *
 * ARBITER_SEAMS is read here only and never reaches a child process: Arbiter refuses unknown ARBITER_* variables
 * (see `childEnv` in processes.ts).
 */
export const FULL = process.env.ARBITER_SEAMS === 'full';

export interface SeamsScale {
  readonly name: 'full' | 'small';
  /** OS processes racing one cap at once (cases 1 and 2). */
  readonly racers: number;
  /** Repetitions of each race, each on a fresh home / database. */
  readonly raceRepetitions: number;
  /** Repetitions of the exposure race with one pinned quote (`--quote`), the cap race without the quote's timing. */
  readonly pinnedRaceRepetitions: number;
  /** Processes at once for the quote-timing case (3): the issue saw the failure at 20–50. */
  readonly quoteRacers: number;
  /** Repetitions of each SIGKILL case (4 and 5). */
  readonly killRepetitions: number;
  /** Orders each of the 16 agents sends in the three-instance storm (4). */
  readonly ordersPerAgent: number;
  /** Orders sent before the SIGKILL of `serve` (5): the kill comes once one is caught mid-forward. */
  readonly crashStormOrders: number;
  /** Orders placed after the crash, before recovery: more than the paper venue's old 100-order memory. */
  readonly ordersAfterCrash: number;
  /** Case 5 on PostgreSQL too (it always runs on SQLite). */
  readonly crashOnPostgres: boolean;
  /** Case 3 on PostgreSQL too (it always runs on SQLite; the quote's timing does not depend on the store). */
  readonly quoteOnPostgres: boolean;
}

export const SCALE: SeamsScale = FULL
  ? {
      name: 'full',
      racers: 50,
      raceRepetitions: 10,
      pinnedRaceRepetitions: 10,
      quoteRacers: 50,
      killRepetitions: 5,
      ordersPerAgent: 8,
      crashStormOrders: 400,
      ordersAfterCrash: 110,
      crashOnPostgres: true,
      quoteOnPostgres: true,
    }
  : {
      name: 'small',
      racers: 12,
      raceRepetitions: 2,
      pinnedRaceRepetitions: 1,
      quoteRacers: 20,
      killRepetitions: 1,
      ordersPerAgent: 3,
      crashStormOrders: 200,
      ordersAfterCrash: 110,
      crashOnPostgres: true,
      quoteOnPostgres: false,
    };

/** A generous per-test budget: the machine is shared, so these are ceilings against hangs, never timings. */
export function budgetMs(perUnitMs: number, units: number): number {
  return 60_000 + perUnitMs * units;
}
