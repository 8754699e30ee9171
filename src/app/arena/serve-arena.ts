import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { NodeSigner } from '../../adapters/crypto/node-signer.js';
import type { MandateLoad } from '../../core/mandate/types.js';
import type { EventBus } from '../../ports/runtime.js';
import type { ArenaEngine } from '../../services/arena/engine.js';
import type { HaltRow } from '../../services/arena/kill-switch.js';
import type { HaltEnforcer } from '../../services/halt-service.js';
import type { ArenaHooks } from '../../transport/mcp/context.js';
import { ARENA_VENUE } from './assemble.js';
import { ArenaRuns } from './dashboard-source.js';
import type { ModelSource } from './llm-roster.js';
import { parseArenaOptions } from './options.js';
import type { RosterFile } from './roster-file.js';
import { pinLiveRun, VENUE_JOURNAL } from './run.js';
import { openSeasons } from './seasons.js';
import { type OpenedArena, openArenaService } from './service.js';
import { venueStartNow } from './sources.js';

export interface ServedArena {
  readonly runs: ArenaRuns;
  readonly hooks: ArenaHooks;
  /** The arena's obedience to the server's kill switch (register it with the HaltService). */
  readonly enforcer: HaltEnforcer;
  stop(): Promise<void>;
}

/** What the arena reads of the installation's kill switch. */
export interface ArenaHaltLink {
  /** The runtime root's HALT sentinels (checked on every intent, like every door's). */
  readonly fileHalts: (venue: string) => { global: boolean; venue: boolean };
  /** The halts in force at the installation (read before every bar: another instance, a HALT file). */
  readonly inForce: () => Promise<readonly HaltRow[]>;
}

/** Bars in one season of a served arena on a venue feed (`--arena-season-bars`; 69 days of 1m bars, 11 years of 1h). */
export const SERVE_SEASON_BARS = 100_000;

/**
 * A paper arena inside `arbiter serve`: the built-in agents (plus any external agent that joins over MCP before
 * the start) trade the given source one bar every `barMs`, signed with the server's key, on the server's event
 * bus, so the dashboard shows verdicts, fills and the leaderboard moving. On a venue feed (`ccxt:…`) each bar is
 * traded once it has closed at the venue instead, season after season (see seasons.ts): the engine lays out a
 * run's bars up front, so an endless feed is cut into runs of `seasonBars`, each finished and written out before
 * the next starts at the next bar. With a state directory the arena commits every bar there and a restarted
 * server resumes at its first unfinished bar (settings, issuer key and a venue feed's start are pinned in
 * `live.json`; a venue feed's seasons in `seasons.json`).
 */
export function serveArena(opts: {
  readonly source: string;
  readonly barMs: number;
  readonly startAfterMs: number;
  readonly signer: NodeSigner;
  readonly events: EventBus;
  readonly state?: string;
  readonly log: (line: string) => void;
  /** The mandate the arena trades under and where it was read from (default: the built-in arena mandate). */
  readonly mandate?: { readonly load: MandateLoad; readonly source: string };
  readonly halts?: ArenaHaltLink;
  /** `serve --roster`: the agents of a roster file (LLM agents included) instead of every built-in. */
  readonly roster?: { readonly file: RosterFile; readonly source: ModelSource };
  /** A venue feed's season length in bars (default SERVE_SEASON_BARS). */
  readonly seasonBars?: number;
}): ServedArena {
  const runs = new ArenaRuns();
  const venueFeed = venueStartNow(opts.source, 0) !== undefined;
  const seasonBars = opts.seasonBars ?? SERVE_SEASON_BARS;
  const options = parseArenaOptions({
    source: opts.source,
    agents: 'all',
    signing: 'per-verdict',
    quiet: true,
    report: false,
    ...(venueFeed ? { bars: seasonBars } : {}),
  });
  const state = opts.state ? resolve(opts.state) : null;
  if (state) mkdirSync(state, { recursive: true });
  // A venue feed with a state folder runs in seasons; anything else is one run (in `state` itself, if any).
  const seasons = venueFeed && state ? openSeasons(state, opts.source, seasonBars, opts.signer) : null;
  // The installation's switch as it stands; if it cannot be read, the arena stops (the switch fails closed).
  const mirror = async (engine: ArenaEngine) => {
    if (!opts.halts) return;
    const rows = await opts.halts
      .inForce()
      .catch((e: Error) => [{ scope: 'global', reason: `KILL_SWITCH_UNREADABLE: ${e.message}`.slice(0, 300) }]);
    await engine.mirrorHalts(rows);
  };
  /** Opens season `n` (null: the one run of a source without seasons); a changed setting is refused at once. */
  const open = (n: number | null): Promise<OpenedArena> => {
    const dir = n === null ? state : seasons!.dir(n);
    if (dir) mkdirSync(dir, { recursive: true });
    const venueStart = dir
      ? pinLiveRun(dir, options, opts.signer, n === null ? undefined : seasons!.startOf(n))
      : venueStartNow(opts.source, Date.now());
    return openArenaService({
      options,
      deadlineMs: Math.max(100, Math.floor(opts.barMs * 0.8)),
      runs,
      signer: opts.signer,
      events: opts.events,
      ...(n === null ? {} : { runId: `season-${n}` }),
      ...(dir ? { state: dir } : {}),
      ...(venueStart === undefined ? {} : { venueStart }),
      ...(venueStart !== undefined && dir ? { venueJournal: join(dir, VENUE_JOURNAL) } : {}),
      ...(opts.mandate ? { mandate: opts.mandate } : {}),
      ...(opts.halts ? { fileHalts: opts.halts.fileHalts, beforeBar: (engine) => mirror(engine) } : {}),
      ...(opts.roster ? { roster: opts.roster } : {}),
    });
  };
  let season = seasons ? seasons.current() : null;
  let opening = open(season);
  let stopped = false;
  const abort = new AbortController();
  const loop = (async () => {
    await sleep(opts.startAfterMs);
    for (;;) {
      const opened = await opening;
      const { service } = opened;
      const engine = await service.start();
      const start = engine.config.startBar;
      const resumed = engine.bar > start ? `, resuming at bar ${engine.bar - start}` : '';
      const of = season === null ? '' : `season ${season}, `;
      opts.log(
        venueFeed
          ? `arena: ${engine.agentIds.length} agents on ${opts.source}, ${of}each bar once it has closed at the venue${resumed}`
          : `arena: ${engine.agentIds.length} agents on ${opts.source}, one bar every ${opts.barMs} ms${resumed}`,
      );
      while (!stopped) {
        const began = performance.now();
        const rec = await service.step(abort.signal);
        if (!rec) break;
        if (venueFeed)
          opts.log(
            `arena: bar ${rec.bar - start} decided (${of}opened ${new Date(engine.frame.spot.ts[rec.bar]!).toISOString()})`,
          );
        else await sleep(Math.max(0, opts.barMs - (performance.now() - began)));
      }
      if (stopped) return;
      if (season === null) {
        await engine.finish();
        runs.update(engine.config.runId, 'finished');
        opts.log('arena: run finished');
        return;
      }
      // The season's folder is written before the next season starts: a restart in between writes it again.
      const dir = seasons!.dir(season);
      await opened.finish(dir);
      opts.log(`arena: season ${season} finished: ${dir} (arbiter arena verify ${dir})`);
      // External agents that joined this season trade the next one too (with fresh, equal capital).
      const carried = Object.keys(service.misses());
      await opened.close();
      season += 1;
      opening = open(season);
      const next = await opening;
      for (const id of carried) next.service.join(id);
    }
  })().catch((e: Error) => {
    if (!abort.signal.aborted) opts.log(`arena: stopped: ${e.message}`);
  });
  const hooks: ArenaHooks = {
    async join(agentId) {
      const { service } = await opening;
      return { joined: true, ...service.join(agentId) };
    },
    async observation(agentId) {
      const { service } = await opening;
      await service.nextRound();
      return { ...(service.observation(agentId) as unknown as Record<string, unknown>) };
    },
    async submit(agentId, intent) {
      const { service } = await opening;
      return { ...(await service.submit(agentId, intent)) } as Record<string, unknown>;
    },
  };
  const enforcer: HaltEnforcer = {
    venues: [ARENA_VENUE],
    async enforce(inForce, pulled) {
      const { service } = await opening;
      return service.exclusive(async () => {
        const engine = service.started;
        if (!engine || engine.finished) return [];
        await engine.mirrorHalts(inForce);
        const out = await engine.enforceHalts();
        const reaches =
          pulled === 'global' ||
          pulled === `venue:${ARENA_VENUE}` ||
          (pulled?.startsWith('agent:') === true && engine.agentIds.includes(pulled.slice(6)));
        if (!reaches) return [];
        return [
          {
            target: `arena:${engine.config.runId}`,
            cancelled: out.cancelled,
            flattened: out.flattened,
            flatten_on_halt: out.flatten_on_halt,
            approvals_rejected: 0,
            failures: out.failures,
            at: { bar: out.bar, ts: out.ts },
          },
        ];
      });
    },
  };
  return {
    runs,
    hooks,
    enforcer,
    async stop() {
      stopped = true;
      abort.abort();
      await loop;
      await (await opening).close();
    },
  };
}
