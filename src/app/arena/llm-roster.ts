import { AnthropicProvider } from '../../adapters/llm/anthropic-provider.js';
import { modelKey } from '../../adapters/llm/keys.js';
import { OpenAiCompatibleProvider } from '../../adapters/llm/openai-provider.js';
import { type RecordedExchange, ReplayProvider } from '../../adapters/llm/replay-provider.js';
import { ArenaError, selectSpecs } from '../../core/arena/index.js';
import { DEFAULT_PRICES } from '../../core/llm/cost.js';
import type { ModelProvider } from '../../ports/model.js';
import {
  type AgentTiming,
  type ExchangeRecord,
  LlmAgent,
  type LlmAgentConfig,
  WALL_TIMING,
} from '../../services/arena/llm-agent.js';
import { LlmTeamAgent, type RoleModel, type TeamPlan } from '../../services/arena/llm-team-agent.js';
import { DEFAULT_MAX_TOOL_CALLS, LlmToolAgent } from '../../services/arena/llm-tool-agent.js';
import type { ArenaParts } from '../../services/arena/types.js';
import { CliError } from '../output.js';
import { arenaToolConnect } from './llm-tools.js';
import { fromSpecs, type RosterEntry } from './roster.js';
import { DEFAULT_BASE_URL, type LlmEntry, priceOf, type RoleModelEntry, type RosterFile } from './roster-file.js';

/** Where the models' answers come from: the providers (keys from the environment) or a run's recordings. */
export type ModelSource =
  | {
      readonly kind: 'live';
      readonly env: Readonly<Record<string, string | undefined>>;
      /** ARBITER_SECRETS_FILE: its `models` section is read for a key the environment lacks. */
      readonly secretsFile?: string | null;
    }
  | { readonly kind: 'replay'; readonly recordings: readonly RecordedExchange[] };

export interface FileRoster {
  readonly entries: RosterEntry[];
  /** Every model exchange of the run, in the order they finished (written to llm/exchanges.jsonl). */
  readonly exchanges: ExchangeRecord[];
  readonly replays: ReplayProvider[];
  readonly concurrency: number;
  /** Gives the tool-mode agents the assembled arena their MCP server is built on (call before the run). */
  attach(parts: ArenaParts): void;
  /** Closes the tool-mode agents' MCP sessions. */
  close(): Promise<void>;
}

/** A replay never waits: recorded outcomes (timeouts included) decide. */
const REPLAY_TIMING: AgentTiming = {
  deadline: () => new AbortController().signal,
  sleep: async () => {},
  now: () => 0,
};

interface Endpoint {
  readonly provider: LlmEntry['provider'];
  readonly base_url?: string | undefined;
  readonly api_key_env: string;
}

function provider(
  id: string,
  e: Endpoint,
  field: string,
  source: ModelSource,
  replays: Map<string, ReplayProvider>,
): ModelProvider {
  const url = e.base_url ?? DEFAULT_BASE_URL[e.provider];
  if (source.kind === 'replay') {
    // One replay per agent: its roles' calls were recorded in the order they were made.
    let p = replays.get(id);
    if (!p) {
      p = new ReplayProvider(
        id,
        source.recordings.filter((r) => r.agent === id),
      );
      replays.set(id, p);
    }
    return p;
  }
  const key = modelKey(e.api_key_env, source.env, source.secretsFile ?? null);
  if (!key)
    throw new CliError(
      'ROSTER_KEY_MISSING',
      `${field}.api_key_env: the environment variable ${e.api_key_env} is not set (agent ${id})${source.secretsFile ? ` and the secrets file has no models.${e.api_key_env}` : ''}`,
    );
  return e.provider === 'anthropic' ? new AnthropicProvider(url, key) : new OpenAiCompatibleProvider(url, key);
}

/** A role's model: the role's fields over the agent's (a role on another provider keeps none of its endpoint). */
function roleModel(
  e: LlmEntry,
  r: RoleModelEntry | undefined,
  role: string,
  field: string,
  file: RosterFile,
  source: ModelSource,
  replays: Map<string, ReplayProvider>,
): RoleModel {
  const over = r ?? {};
  const sameProvider = (over.provider ?? e.provider) === e.provider;
  const kind = over.provider ?? e.provider;
  const endpoint: Endpoint = {
    provider: kind,
    base_url: over.base_url ?? (sameProvider ? e.base_url : undefined),
    api_key_env: over.api_key_env ?? e.api_key_env,
  };
  const model = over.model ?? e.model;
  const temperature = over.temperature ?? e.temperature;
  const seed = over.seed ?? (sameProvider ? e.seed : undefined);
  return {
    role,
    provider: provider(e.id, endpoint, field, source, replays),
    kind,
    base_url: endpoint.base_url ?? DEFAULT_BASE_URL[kind],
    price:
      over.price ??
      (over.model === undefined ? priceOf(e, file) : (file.prices[model] ?? DEFAULT_PRICES[model] ?? null)),
    model,
    max_tokens: over.max_tokens ?? e.max_tokens,
    ...(temperature === undefined ? {} : { temperature }),
    ...(seed === undefined ? {} : { seed }),
  };
}

function teamPlan(
  e: LlmEntry,
  i: number,
  file: RosterFile,
  source: ModelSource,
  replays: Map<string, ReplayProvider>,
): TeamPlan {
  const at = `agents[${i}]`;
  const role = (name: string, r: RoleModelEntry | undefined, field: string) =>
    roleModel(e, r, name, r ? field : at, file, source, replays);
  if (e.style === 'debate')
    return {
      style: 'debate',
      rounds: e.rounds ?? 1,
      bull: role('bull', e.roles?.bull, `${at}.roles.bull`),
      bear: role('bear', e.roles?.bear, `${at}.roles.bear`),
      risk: role('risk', e.roles?.risk, `${at}.roles.risk`),
      judge: role('judge', e.roles?.judge, `${at}.roles.judge`),
    };
  return {
    style: 'persona',
    decision: e.decision ?? 'vote',
    personas: (e.personas ?? []).map((p, k) => ({
      name: p.name,
      brief: p.brief,
      model: role(`persona:${p.name}`, p, `${at}.personas[${k}]`),
    })),
    judge: role('judge', e.judge, `${at}.judge`),
  };
}

function config(e: LlmEntry, file: RosterFile): LlmAgentConfig {
  return {
    id: e.id,
    provider: e.provider,
    base_url: e.base_url ?? DEFAULT_BASE_URL[e.provider],
    model: e.model,
    ...(e.temperature === undefined ? {} : { temperature: e.temperature }),
    max_tokens: e.max_tokens,
    ...(e.seed === undefined ? {} : { seed: e.seed }),
    deadline_ms: e.deadline_ms,
    retries: e.retries,
    backoff_ms: e.backoff_ms,
    budget: e.budget,
    price: priceOf(e, file),
  };
}

/** The agents a roster file lists, in its order: built-ins by name (each of their trials) and LLM agents. */
export function buildFileRoster(file: RosterFile, source: ModelSource, runSeed = 0): FileRoster {
  const exchanges: ExchangeRecord[] = [];
  const replaysById = new Map<string, ReplayProvider>();
  const timing = source.kind === 'replay' ? REPLAY_TIMING : WALL_TIMING;
  let parts: ArenaParts | null = null;
  const connect = arenaToolConnect(() => {
    if (!parts) throw new Error('the arena is not assembled yet: attach it before the run');
    return parts;
  });
  const tooling: LlmToolAgent[] = [];
  const entries = file.agents.flatMap((a, i): RosterEntry[] => {
    if (typeof a === 'string') {
      try {
        return fromSpecs(selectSpecs(a, runSeed));
      } catch (e) {
        if (e instanceof ArenaError) throw new CliError('ROSTER_INVALID', `agents[${i}]: ${e.message}`);
        throw e;
      }
    }
    const c = config(a, file);
    const model = provider(a.id, a, `agents[${i}]`, source, replaysById);
    const record = (r: ExchangeRecord) => exchanges.push(r);
    let agent: LlmAgent;
    if (a.style === 'tool') {
      const t = new LlmToolAgent(c, model, record, connect, a.max_tool_calls ?? DEFAULT_MAX_TOOL_CALLS, timing);
      tooling.push(t);
      agent = t;
    } else if (a.style === 'debate' || a.style === 'persona')
      agent = new LlmTeamAgent(c, model, record, teamPlan(a, i, file, source, replaysById), timing);
    else agent = new LlmAgent(c, model, record, timing);
    const params: Record<string, string | number> = { provider: a.provider, model: a.model, style: a.style };
    if (a.style === 'tool') params.max_tool_calls = a.max_tool_calls ?? DEFAULT_MAX_TOOL_CALLS;
    if (a.style === 'debate') params.rounds = a.rounds ?? 1;
    if (a.style === 'persona') {
      params.personas = (a.personas ?? []).map((p) => p.name).join(',');
      params.decision = a.decision ?? 'vote';
    }
    if (a.temperature !== undefined) params.temperature = a.temperature;
    if (a.seed !== undefined) params.seed = a.seed;
    params.max_tokens = a.max_tokens;
    return [
      {
        id: a.id,
        family: `llm:${a.style}`,
        params,
        benchmark: false,
        agent,
        model: () => {
          const s = agent.spent;
          return {
            model: a.model,
            calls: s.calls,
            input_tokens: s.input_tokens,
            output_tokens: s.output_tokens,
            cost_usd: s.usd,
            priced: c.price !== null,
          };
        },
      },
    ];
  });
  return {
    entries,
    exchanges,
    replays: [...replaysById.values()],
    concurrency: file.concurrency,
    attach: (p) => {
      parts = p;
    },
    close: async () => {
      await Promise.all(tooling.map((t) => t.close()));
    },
  };
}
