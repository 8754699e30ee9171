import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NodeSigner } from '../../adapters/crypto/node-signer.js';
import { CliError, stableJson } from '../output.js';
import { venueStartNow, venueTimeframeMs } from './sources.js';

/** The file at the top of a served arena's state folder that pins its seasons. */
export const SEASONS_FILE = 'seasons.json';
/** The file a season's folder holds once the season is finished and written out (written last). */
const FINISHED_MARK = 'report.html';

export interface Seasons {
  /** Season `n`'s folder: `<state>/<n>/`. */
  dir(n: number): string;
  /** The open time of season `n`'s first traded bar: the bar after season `n - 1`'s last. */
  startOf(n: number): number;
  /** The season to run now: the last one begun, or the one after it once it is finished and written. */
  current(): number;
}

/**
 * A served arena on a venue feed, cut into consecutive runs of `seasonBars` bars. The first season's start (the
 * bar in progress when the state folder was first used), the feed and the season length are pinned in
 * `seasons.json`, so every season's start is fixed by its number alone: season n trades the bars that open at
 * `start + n * seasonBars * timeframe`, and no bar is traded by two seasons or skipped between them.
 */
export function openSeasons(state: string, source: string, seasonBars: number, signer: NodeSigner): Seasons {
  const tfMs = venueTimeframeMs(source)!;
  const file = join(state, SEASONS_FILE);
  if (!existsSync(file) && existsSync(join(state, 'live.json')))
    throw new CliError(
      'ARENA_STATE_MISMATCH',
      `${state} holds a served arena from before seasons (live.json at its top); move it away or pass another --arena-state`,
    );
  const pinned = { arena_seasons: 1, source, season_bars: seasonBars, key_id: signer.keyId };
  let start: number;
  if (existsSync(file)) {
    const before = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const changed: string[] = [];
    if (before.source !== source) changed.push(`--arena ${String(before.source)}`);
    if (before.season_bars !== seasonBars) changed.push(`--arena-season-bars ${String(before.season_bars)}`);
    if (before.key_id !== signer.keyId)
      changed.push(`issuer key ${String(before.key_id)} (this installation has ${signer.keyId})`);
    if (changed.length)
      throw new CliError('ARENA_STATE_MISMATCH', `${state} holds a served arena with ${changed.join(', ')}`);
    start = Number(before.venue_start);
  } else {
    start = venueStartNow(source, Date.now())!;
    writeFileSync(file, stableJson({ ...pinned, venue_start: start }));
  }
  const dir = (n: number) => join(state, String(n));
  return {
    dir,
    startOf: (n) => start + n * seasonBars * tfMs,
    current() {
      const begun = readdirSync(state)
        .filter((d) => /^(0|[1-9][0-9]*)$/.test(d))
        .map(Number);
      const last = begun.length ? Math.max(...begun) : 0;
      return existsSync(join(dir(last), FINISHED_MARK)) ? last + 1 : last;
    },
  };
}
