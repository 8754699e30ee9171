import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { NodeSigner } from '../../adapters/crypto/node-signer.js';
import type { Leaderboard } from '../../core/arena/index.js';
import { CliError, stableJson } from '../output.js';
import { loadSettings } from '../settings.js';
import { assembleArena } from './assemble.js';
import { buildFileRoster, type FileRoster, type ModelSource } from './llm-roster.js';
import { type ArenaOptions, parseArenaOptions, setupFromOptions } from './options.js';
import { ExchangeJournal, writeRun } from './output.js';
import { Progress } from './progress.js';
import { readReportData } from './report-data.js';
import { renderReport } from './report-html.js';
import { type ScoringOptions, score } from './results.js';
import { buildRoster, loadAgentFile, type RosterEntry } from './roster.js';
import { type RosterFile, readRosterFile } from './roster-file.js';
import { venueStartNow } from './sources.js';

export interface RunResult {
  readonly dir: string;
  /** Null when a live run was stopped before its end. */
  readonly board: Leaderboard | null;
  readonly finished: boolean;
  readonly bars: number;
}

export interface LiveControl {
  /** Wall milliseconds per bar (0: as fast as possible). */
  readonly barMs: number;
  /** Stop after the current bar when this returns true (Ctrl-C). */
  readonly stop?: () => boolean;
}

export function scoringOf(o: ArenaOptions): ScoringOptions {
  return {
    seed: o.seed,
    partitions: o.partitions,
    folds: o.folds,
    floor: o.floor,
    cap: o.cap,
    bootstrapResamples: o.bootstrap,
  };
}

/** Writes report.html from a run directory's files and returns its path. */
export function writeReport(dir: string): string {
  const path = join(dir, 'report.html');
  writeFileSync(path, renderReport(readReportData(dir)));
  return path;
}

/** The roster file a run uses (null: `--agents`) and where its models answer from. */
export interface Models {
  readonly file: RosterFile | null;
  readonly source: ModelSource;
}

/** Keys from the environment, then the secrets file (settings are read only for a roster: built-ins need none). */
export const LIVE_MODELS = (o: ArenaOptions): Models => ({
  file: o.roster ? readRosterFile(o.roster) : null,
  source: { kind: 'live', env: process.env, secretsFile: o.roster ? loadSettings().secretsFile : null },
});

/** The run's agents: a roster file's (plus agent files), or the `--agents` built-ins plus agent files. */
export async function cast(
  o: ArenaOptions,
  models: Models,
): Promise<{ roster: RosterEntry[]; llm: FileRoster | null }> {
  if (!models.file) return { roster: await buildRoster(o.agents, o.agentFile, o.seed), llm: null };
  const llm = buildFileRoster(models.file, models.source, o.seed);
  const custom = (await Promise.all(o.agentFile.map(loadAgentFile))).flat();
  return { roster: [...llm.entries, ...custom], llm };
}

async function execute(
  o: ArenaOptions,
  dir: string,
  mode: 'run' | 'live',
  storePath: string,
  live: LiveControl | null,
  signer: NodeSigner,
  models: Models,
  venueStart?: number,
): Promise<RunResult & { llm: FileRoster | null }> {
  const { roster, llm } = await cast(o, models);
  const setup = {
    ...setupFromOptions(o, storePath, mode, mode === 'live', signer),
    ...(venueStart === undefined ? {} : { venueStart, venueJournal: join(dir, VENUE_JOURNAL) }),
    ...(llm ? { concurrency: llm.concurrency } : {}),
  };
  const a = await assembleArena(
    setup,
    roster.map((r) => r.agent),
  );
  llm?.attach(a.parts);
  try {
    const { engine } = a;
    const resumed = await engine.resume();
    // A live run keeps its model exchanges durable bar by bar (appended once the bar is committed).
    const journal = mode === 'live' && llm ? new ExchangeJournal(dir, resumed) : null;
    const start = engine.config.startBar;
    const bars = engine.config.endBar - start;
    if (resumed && !o.quiet) process.stderr.write(`arena: resuming at bar ${engine.bar - start} of ${bars}\n`);
    const progress = o.quiet ? null : new Progress(bars, roster.length);
    let stopped = false;
    while (!engine.done) {
      // A live venue feed: the next bar is traded once it has closed at the venue.
      await a.source.waitFor?.(engine.bar);
      const began = performance.now();
      await engine.step();
      journal?.append(llm!.exchanges);
      progress?.tick(engine.bar - start);
      if (live?.stop?.()) {
        stopped = true;
        break;
      }
      if (live && live.barMs > 0) await sleep(Math.max(0, live.barMs - (performance.now() - began)));
    }
    progress?.end();
    if (stopped) {
      process.stderr.write(
        `arena: stopped after bar ${engine.bar - start} of ${bars}; run the same command to go on\n`,
      );
      return { dir, board: null, finished: false, bars, llm };
    }
    await engine.finish();
    const scoring = scoringOf(o);
    const board = score(engine, roster, scoring);
    await writeRun(dir, a, roster, board, {
      command: mode,
      setup,
      scoring,
      agents: o.agents,
      agentFiles: o.agentFile,
      ...(o.funding === undefined ? {} : { funding: o.funding }),
      ...(models.file && llm
        ? { llm: { roster: models.file, exchanges: journal ? journal.all() : llm.exchanges } }
        : {}),
    });
    if (o.report) writeReport(dir);
    return { dir, board, finished: true, bars, llm };
  } finally {
    await llm?.close();
    await a.close();
  }
}

/** A simulation: in-memory store, as fast as it goes, outputs written at the end, signed with `signer`. */
export function runArena(o: ArenaOptions, out: string, signer: NodeSigner): Promise<RunResult> {
  const dir = resolve(out);
  mkdirSync(dir, { recursive: true });
  return execute(o, dir, 'run', ':memory:', null, signer, LIVE_MODELS(o));
}

const PINNED: readonly (keyof ArenaOptions)[] = [
  'source',
  'seed',
  'bars',
  'warmup',
  'agents',
  'agentFile',
  'roster',
  'capital',
  'signing',
];

/** The file in a state directory keeping the bars a followed venue feed received (see `venueJournal`). */
export const VENUE_JOURNAL = 'candles.jsonl';

/**
 * Pins a resumable run's settings and issuer key in `dir/live.json` (written the first time), refuses to go on
 * with others, and returns the pinned start of a venue feed (the bar in progress when the run first started, or
 * `start` when given: a served arena's season begins where the season before it ended).
 */
export function pinLiveRun(dir: string, o: ArenaOptions, signer: NodeSigner, start?: number): number | undefined {
  const pinFile = join(dir, 'live.json');
  // The issuer key is pinned too: one run's ledger is signed by one key.
  const pinned: Record<string, unknown> = {
    ...Object.fromEntries(PINNED.map((k) => [k, o[k] ?? null])),
    key_id: signer.keyId,
  };
  // A venue feed trades the bars that close after the run first started: that start is pinned with the settings.
  let venueStart =
    venueStartNow(o.source, Date.now()) === undefined ? undefined : (start ?? venueStartNow(o.source, Date.now()));
  if (venueStart !== undefined) pinned.venue_start = venueStart;
  if (existsSync(pinFile)) {
    const before = JSON.parse(readFileSync(pinFile, 'utf8')) as Record<string, unknown>;
    if (venueStart !== undefined && typeof before.venue_start === 'number') venueStart = before.venue_start;
    const changed = PINNED.filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(pinned[k])).map(
      (k) => `--${k}`,
    );
    if (before.key_id !== signer.keyId)
      changed.push(
        `issuer key (${String(before.key_id ?? 'a seed-derived key')}, this installation has ${signer.keyId})`,
      );
    if (changed.length)
      throw new CliError('ARENA_STATE_MISMATCH', `${dir} holds a run with other ${changed.join(', ')}`);
  } else writeFileSync(pinFile, stableJson(pinned));
  return venueStart;
}

/**
 * A resumable run: the store is a file in the state directory and every bar is committed before the next one
 * starts, so a killed process picks up at the first unfinished bar. Rerunning with different settings is refused.
 */
export function liveArena(
  o: ArenaOptions,
  state: string,
  control: LiveControl,
  signer: NodeSigner,
): Promise<RunResult> {
  const dir = resolve(state);
  mkdirSync(dir, { recursive: true });
  const venueStart = pinLiveRun(dir, o, signer);
  return execute(o, dir, 'live', join(dir, 'arena.db'), control, signer, LIVE_MODELS(o), venueStart);
}

function jsonLines<T>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

export interface ReplayResult extends RunResult {
  /** Where the replay left the recordings (a request that was not the recorded one, calls left over). */
  readonly problems: readonly string[];
}

/**
 * Re-runs a finished run from its own folder: the settings in run.json, the roster in roster.json and every
 * model answer from llm/exchanges.jsonl — no model is called. With the same installation key the leaderboard and
 * ledger are byte-identical to the run's.
 */
export async function replayArena(runDir: string, out: string, signer: NodeSigner): Promise<ReplayResult> {
  const from = resolve(runDir);
  const runFile = join(from, 'run.json');
  if (!existsSync(runFile)) throw new CliError('REPLAY_NOT_A_RUN', `${from} has no run.json`);
  const c = (JSON.parse(readFileSync(runFile, 'utf8')) as { config: Record<string, unknown> }).config;
  const s = c.scoring as Record<string, unknown>;
  // A venue feed (ccxt:) is not asked again: its bars and funding as the run fetched them are in source.json.
  const recording = join(from, 'source.json');
  const fetched = /^(ccxt|recorded):/.test(String(c.source));
  if (fetched && !existsSync(recording))
    throw new CliError('REPLAY_NO_RECORDINGS', `${recording} is missing (the bars ${String(c.source)} returned)`);
  const o = parseArenaOptions({
    source: fetched ? `recorded:${recording}` : c.source,
    seed: c.seed,
    bars: c.bars,
    warmup: c.warmup,
    capital: c.capital,
    agents: c.agents,
    agentFile: c.agent_files,
    signing: c.signing,
    checkpointEvery: c.checkpoint_every,
    partitions: s.partitions,
    folds: s.folds,
    floor: s.floor,
    cap: s.cap,
    bootstrap: s.bootstrapResamples,
    ...(c.funding === undefined ? {} : { funding: c.funding }),
    ...(c.roster === undefined ? {} : { roster: join(from, String(c.roster)) }),
    quiet: true,
  });
  let models: Models = { file: null, source: { kind: 'replay', recordings: [] } };
  if (o.roster) {
    const recorded = join(from, 'llm', 'exchanges.jsonl');
    if (!existsSync(recorded)) throw new CliError('REPLAY_NO_RECORDINGS', `${recorded} is missing`);
    models = { file: readRosterFile(o.roster), source: { kind: 'replay', recordings: jsonLines(recorded) } };
  }
  const dir = resolve(out);
  if (dir === from) throw new CliError('BAD_ARGUMENT', '--out must be another directory than the run being replayed');
  mkdirSync(dir, { recursive: true });
  const r = await execute(o, dir, 'run', ':memory:', null, signer, models);
  const problems = (r.llm?.replays ?? []).flatMap((p) => [
    ...p.problems,
    ...(p.unused > 0
      ? [`REPLAY_MISMATCH: agent ${p.agent}: ${p.unused} recorded call(s) were not asked for again`]
      : []),
  ]);
  return { ...r, problems };
}
