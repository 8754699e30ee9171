import { AnthropicProvider } from '../../adapters/llm/anthropic-provider.js';
import { modelKey } from '../../adapters/llm/keys.js';
import { OpenAiCompatibleProvider } from '../../adapters/llm/openai-provider.js';
import { type RecordedExchange, ReplayProvider } from '../../adapters/llm/replay-provider.js';
import { ArenaError, selectSpecs } from '../../core/arena/index.js';
import type { ModelProvider } from '../../ports/model.js';
import {
  type AgentTiming,
  type ExchangeRecord,
  LlmAgent,
  type LlmAgentConfig,
  WALL_TIMING,
} from '../../services/arena/llm-agent.js';
import { DEFAULT_MAX_TOOL_CALLS, LlmToolAgent } from '../../services/arena/llm-tool-agent.js';
import type { ArenaParts } from '../../services/arena/types.js';
import { CliError } from '../output.js';
import { arenaToolConnect } from './llm-tools.js';
import { fromSpecs, type RosterEntry } from './roster.js';
import { DEFAULT_BASE_URL, type LlmEntry, priceOf, type RosterFile } from './roster-file.js';

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

function provider(e: LlmEntry, i: number, source: ModelSource, replays: ReplayProvider[]): ModelProvider {
  const url = e.base_url ?? DEFAULT_BASE_URL[e.provider];
  if (source.kind === 'replay') {
    const p = new ReplayProvider(
      e.id,
      source.recordings.filter((r) => r.agent === e.id),
    );
    replays.push(p);
    return p;
  }
  const key = modelKey(e.api_key_env, source.env, source.secretsFile ?? null);
  if (!key)
    throw new CliError(
      'ROSTER_KEY_MISSING',
      `agents[${i}].api_key_env: the environment variable ${e.api_key_env} is not set (agent ${e.id})${source.secretsFile ? ` and the secrets file has no models.${e.api_key_env}` : ''}`,
    );
  return e.provider === 'anthropic' ? new AnthropicProvider(url, key) : new OpenAiCompatibleProvider(url, key);
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
export function buildFileRoster(file: RosterFile, source: ModelSource): FileRoster {
  const exchanges: ExchangeRecord[] = [];
  const replays: ReplayProvider[] = [];
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
        return fromSpecs(selectSpecs(a));
      } catch (e) {
        if (e instanceof ArenaError) throw new CliError('ROSTER_INVALID', `agents[${i}]: ${e.message}`);
        throw e;
      }
    }
    const c = config(a, file);
    const model = provider(a, i, source, replays);
    const record = (r: ExchangeRecord) => exchanges.push(r);
    let agent: LlmAgent;
    if (a.style === 'tool') {
      const t = new LlmToolAgent(c, model, record, connect, a.max_tool_calls ?? DEFAULT_MAX_TOOL_CALLS, timing);
      tooling.push(t);
      agent = t;
    } else agent = new LlmAgent(c, model, record, timing);
    const params: Record<string, string | number> = { provider: a.provider, model: a.model, style: a.style };
    if (a.style === 'tool') params.max_tool_calls = a.max_tool_calls ?? DEFAULT_MAX_TOOL_CALLS;
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
    replays,
    concurrency: file.concurrency,
    attach: (p) => {
      parts = p;
    },
    close: async () => {
      await Promise.all(tooling.map((t) => t.close()));
    },
  };
}
