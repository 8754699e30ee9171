import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { NodeSigner } from '../../adapters/crypto/node-signer.js';
import type { MandateLoad } from '../../core/mandate/types.js';
import type { EventBus } from '../../ports/runtime.js';
import { ArenaService } from '../../services/arena/arena-service.js';
import type { ArenaEngine } from '../../services/arena/engine.js';
import { ARENA_VENUE, type AssembledArena, assembleArena } from './assemble.js';
import type { ArenaRuns } from './dashboard-source.js';
import { buildFileRoster, type ModelSource } from './llm-roster.js';
import { mandateView } from './mandate.js';
import { type ArenaOptions, setupFromOptions } from './options.js';
import { buildRoster } from './roster.js';
import type { RosterFile } from './roster-file.js';

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
}

const BUILT_IN = 'built-in (sized to the starting capital)';

/**
 * An arena that external agents join (for the MCP tools join_arena / get_observation / submit_intent): the
 * built-ins chosen in `options` plus whoever joins before the first round, wired exactly as `arena run`.
 */
export async function openArenaService(
  s: ArenaServiceSetup,
): Promise<{ service: ArenaService; close(): Promise<void> }> {
  const o = s.options;
  const llm = s.roster ? buildFileRoster(s.roster.file, s.roster.source, o.seed) : null;
  const roster = llm ? llm.entries : await buildRoster(o.agents, o.agentFile, o.seed);
  let built: AssembledArena | null = null;
  const dir = s.state ? resolve(s.state) : null;
  if (dir) mkdirSync(dir, { recursive: true });
  const service = new ArenaService(
    async (external) => {
      const setup = {
        ...setupFromOptions(o, dir ? join(dir, 'arena.db') : ':memory:', 'service', dir !== null, s.signer),
        ...(s.events ? { events: s.events } : {}),
        ...(s.mandate ? { mandate: s.mandate.load } : {}),
        ...(s.fileHalts ? { fileHalts: s.fileHalts } : {}),
        ...(llm ? { concurrency: llm.concurrency } : {}),
        ...(s.venueStart === undefined ? {} : { venueStart: s.venueStart }),
        ...(s.venueJournal === undefined ? {} : { venueJournal: s.venueJournal }),
      };
      built = await assembleArena(setup, [...roster.map((r) => r.agent), ...external]);
      llm?.attach(built.parts);
      const joined = external.map((a) => ({ id: a.id, family: 'external', benchmark: false }));
      s.runs?.add(built.engine, {
        market: built.source.data.source,
        roster: [...roster, ...joined],
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
    close: async () => {
      await llm?.close();
      await (built as AssembledArena | null)?.close();
    },
  };
}
