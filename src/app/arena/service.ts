import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { NodeSigner } from '../../adapters/crypto/node-signer.js';
import type { EventBus } from '../../ports/runtime.js';
import { ArenaService } from '../../services/arena/arena-service.js';
import { type AssembledArena, assembleArena } from './assemble.js';
import type { ArenaRuns } from './dashboard-source.js';
import { type ArenaOptions, setupFromOptions } from './options.js';
import { buildRoster } from './roster.js';

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
}

/**
 * An arena that external agents join (for the MCP tools join_arena / get_observation / submit_intent): the
 * built-ins chosen in `options` plus whoever joins before the first round, wired exactly as `arena run`.
 */
export async function openArenaService(
  s: ArenaServiceSetup,
): Promise<{ service: ArenaService; close(): Promise<void> }> {
  const o = s.options;
  const roster = await buildRoster(o.agents, o.agentFile);
  let built: AssembledArena | null = null;
  const dir = s.state ? resolve(s.state) : null;
  if (dir) mkdirSync(dir, { recursive: true });
  const service = new ArenaService(
    async (external) => {
      const setup = {
        ...setupFromOptions(o, dir ? join(dir, 'arena.db') : ':memory:', 'service', dir !== null, s.signer),
        ...(s.events ? { events: s.events } : {}),
      };
      built = await assembleArena(setup, [...roster.map((r) => r.agent), ...external]);
      const joined = external.map((a) => ({ id: a.id, family: 'external', benchmark: false }));
      s.runs?.add(built.engine, { market: built.source.data.source, roster: [...roster, ...joined] });
      return built.engine;
    },
    { deadlineMs: s.deadlineMs, ...(s.window === undefined ? {} : { window: s.window }) },
  );
  return { service, close: async () => (built as AssembledArena | null)?.close() };
}
