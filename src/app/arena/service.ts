import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { NodeSigner } from '../../adapters/crypto/node-signer.js';
import type { Leaderboard } from '../../core/arena/index.js';
import type { MandateLoad } from '../../core/mandate/types.js';
import type { EventBus } from '../../ports/runtime.js';
import { ArenaService } from '../../services/arena/arena-service.js';
import type { ArenaEngine } from '../../services/arena/engine.js';
import type { ArenaSetup } from './assemble.js';
import { ARENA_VENUE, type AssembledArena, assembleArena } from './assemble.js';
import type { ArenaRuns } from './dashboard-source.js';
import { buildFileRoster, type ModelSource } from './llm-roster.js';
import { mandateView } from './mandate.js';
import { type ArenaOptions, setupFromOptions } from './options.js';
import { writeRun } from './output.js';
import { score } from './results.js';
import { buildRoster, type RosterEntry } from './roster.js';
import type { RosterFile } from './roster-file.js';
import { scoringOf, writeReport } from './run.js';

export interface ArenaServiceSetup {
  readonly options: ArenaOptions;
  /** Wall milliseconds each round waits for the external agents. */
  readonly deadlineMs: number;
  /** Closed bars in an observation snapshot. */
  readonly window?: number;
  /** A state directory makes the arena resumable (as `arena live`); without one it lives in memory. */
  readonly state?: string;
  /** Where the HTTP API and dashboard read arenas from: the run registers there when it starts. */
  readonly runs?: ArenaRuns;
  /** The issuer key (see ArenaSetup) and, in a server, its event bus. */
  readonly signer: NodeSigner;
  readonly events?: EventBus;
  /** The mandate the accounts trade under (default: the built-in arena mandate) and where it was read from. */
  readonly mandate?: { readonly load: MandateLoad; readonly source: string };
  /** The installation's HALT sentinels and a hook run before each bar (a server's kill switch; see ArenaSetup). */
  readonly fileHalts?: (venue: string) => { global: boolean; venue: boolean };
  readonly beforeBar?: (engine: ArenaEngine) => Promise<void>;
  /** A roster file's agents (built-ins and LLM agents) instead of `options.agents`, and where their models answer. */
  readonly roster?: { readonly file: RosterFile; readonly source: ModelSource };
  /** A venue feed followed bar by bar: its pinned start and the state directory's journal of bars (see sources.ts). */
  readonly venueStart?: number;
  readonly venueJournal?: string;
  /** The run's id in its ledger and on the dashboard (default `service`; a served season is `season-N`). */
  readonly runId?: string;
}

const BUILT_IN = 'built-in (sized to the starting capital)';

export interface OpenedArena {
  readonly service: ArenaService;
  /**
   * Once every bar is decided: closes the run (final signed checkpoint) and writes its folder to `dir` as
   * `arena live` does (leaderboard, equity, trades, decisions, ledger, checkpoints, run.json, report.html), so
   * `arbiter arena verify DIR` checks it. Returns the leaderboard.
   */
  finish(dir: string): Promise<Leaderboard>;
  close(): Promise<void>;
}

/**
 * An arena that external agents join (for the MCP tools join_arena / get_observation / submit_intent): the
 * built-ins chosen in `options` plus whoever joins before the first round, wired exactly as `arena run`.
 */
export async function openArenaService(s: ArenaServiceSetup): Promise<OpenedArena> {
  const o = s.options;
  const llm = s.roster ? buildFileRoster(s.roster.file, s.roster.source, o.seed) : null;
  const roster = llm ? llm.entries : await buildRoster(o.agents, o.agentFile, o.seed);
  let built: AssembledArena | null = null;
  let cast: RosterEntry[] = [...roster];
  let setupUsed: ArenaSetup | null = null;
  const dir = s.state ? resolve(s.state) : null;
  if (dir) mkdirSync(dir, { recursive: true });
  const service = new ArenaService(
    async (external) => {
      const setup = {
        ...setupFromOptions(o, dir ? join(dir, 'arena.db') : ':memory:', s.runId ?? 'service', dir !== null, s.signer),
        ...(s.events ? { events: s.events } : {}),
        ...(s.mandate ? { mandate: s.mandate.load } : {}),
        ...(s.fileHalts ? { fileHalts: s.fileHalts } : {}),
        ...(llm ? { concurrency: llm.concurrency } : {}),
        ...(s.venueStart === undefined ? {} : { venueStart: s.venueStart }),
        ...(s.venueJournal === undefined ? {} : { venueJournal: s.venueJournal }),
      };
      built = await assembleArena(setup, [...roster.map((r) => r.agent), ...external]);
      llm?.attach(built.parts);
      setupUsed = setup;
      const joined = external.map((a) => ({ id: a.id, family: 'external', params: {}, benchmark: false, agent: a }));
      cast = [...roster, ...joined];
      s.runs?.add(built.engine, {
        market: built.source.data.source,
        roster: cast,
        venue: ARENA_VENUE,
        mandate: mandateView(built.parts.deps.mandates.load(ARENA_VENUE), s.mandate?.source ?? BUILT_IN),
        ...(llm ? { exchanges: () => llm.exchanges } : {}),
      });
      return built.engine;
    },
    {
      deadlineMs: s.deadlineMs,
      ...(s.window === undefined ? {} : { window: s.window }),
      ...(s.beforeBar ? { beforeBar: s.beforeBar } : {}),
      waitForBar: async (bar, signal) => {
        await (built as AssembledArena | null)?.source.waitFor?.(bar, signal);
      },
    },
  );
  return {
    service,
    finish: async (out) => {
      const a = built as AssembledArena | null;
      if (!a || !setupUsed || !a.engine.done) throw new Error('the arena has bars left to decide');
      const { engine } = a;
      if (!engine.finished) await engine.finish();
      const scoring = scoringOf(o);
      const board = score(engine, cast, scoring);
      await writeRun(out, a, cast, board, {
        command: 'serve',
        setup: setupUsed,
        scoring,
        agents: o.agents,
        agentFiles: o.agentFile,
        ...(o.funding === undefined ? {} : { funding: o.funding }),
        ...(s.roster && llm ? { llm: { roster: s.roster.file, exchanges: llm.exchanges } } : {}),
      });
      writeReport(out);
      s.runs?.update(engine.config.runId, 'finished');
      return board;
    },
    close: async () => {
      await llm?.close();
      await (built as AssembledArena | null)?.close();
    },
  };
}
