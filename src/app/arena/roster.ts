import { basename, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Agent, type AgentSpec, ArenaError, type ModelSpend, selectSpecs } from '../../core/arena/index.js';

/** One trial in a run: who it is, how it was parameterised, and the agent itself. */
export interface RosterEntry {
  readonly id: string;
  readonly family: string;
  readonly params: Readonly<Record<string, number | string>>;
  readonly benchmark: boolean;
  readonly agent: Agent;
  /** What the agent's model calls cost so far (agents with a model only). */
  readonly model?: () => ModelSpend;
}

export function fromSpecs(specs: readonly AgentSpec[]): RosterEntry[] {
  return specs.map((s) => ({
    id: s.id,
    family: s.family,
    params: s.params,
    benchmark: s.benchmark,
    agent: s.create(),
  }));
}

function isAgent(x: unknown): x is Agent {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as Agent).id === 'string' &&
    typeof (x as Agent).decide === 'function'
  );
}

const TS_FILE = /\.[cm]?ts$/;

async function importModule(path: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(path).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (!TS_FILE.test(path) || (code !== 'ERR_UNKNOWN_FILE_EXTENSION' && code !== 'ERR_MODULE_NOT_FOUND')) throw e;
  }
  // A TypeScript agent this Node cannot load by itself (or whose `.js` imports name `.ts` files): use tsx.
  try {
    const api = (await import('tsx/esm/api')) as { register: () => unknown };
    api.register();
  } catch {
    throw new ArenaError('ARENA_CONFIG_INVALID', `${path}: compile it to .js or run with node --import tsx`);
  }
  return (await import(`${url}?tsx`)) as Record<string, unknown>;
}

/**
 * Loads a user's agent module. Its default export (or `agents` / `agent`) is an Agent, a factory returning one,
 * or an array of either (several parameter sets: each is one trial).
 */
export async function loadAgentFile(file: string): Promise<RosterEntry[]> {
  const path = resolve(file);
  const mod = await importModule(path);
  const exported = mod.default ?? mod.agents ?? mod.agent;
  const items = Array.isArray(exported) ? exported : [exported];
  const family = basename(path, extname(path));
  return items.map((item, i) => {
    const agent = typeof item === 'function' ? (item as () => unknown)() : item;
    if (!isAgent(agent)) {
      throw new ArenaError('ARENA_CONFIG_INVALID', `${file}: export ${i} is not an agent ({ id, decide(obs) })`);
    }
    return { id: agent.id, family, params: {}, benchmark: false, agent };
  });
}

/**
 * The built-ins chosen by `--agents` (`all`, `none`, or a list) followed by every agent file's agents; the random
 * benchmarks draw from `runSeed` too.
 */
export async function buildRoster(agents: string, files: readonly string[], runSeed = 0): Promise<RosterEntry[]> {
  const builtins = agents === 'none' ? [] : fromSpecs(selectSpecs(agents, runSeed));
  const custom = (await Promise.all(files.map(loadAgentFile))).flat();
  const roster = [...builtins, ...custom];
  if (roster.length === 0) throw new ArenaError('ARENA_CONFIG_INVALID', 'no agents: pick built-ins or an agent file');
  return roster;
}
