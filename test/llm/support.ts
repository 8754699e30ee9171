import { OpenAiCompatibleProvider } from '../../src/adapters/llm/openai-provider.js';
import type { AssembledArena } from '../../src/app/arena/assemble.js';
import {
  type AgentTiming,
  type ExchangeRecord,
  LlmAgent,
  type LlmAgentConfig,
  WALL_TIMING,
} from '../../src/services/arena/llm-agent.js';
import type { Reply, Script } from '../support/llm-emulators/index.js';

export const KEY = 'sk-test-llm-agent-9f8e7d6c5b4a3210';

/** The bar number a decision prompt names ("Bar 3 of 20" → 3). */
export function barOf(body: Record<string, unknown> | null): number {
  const text = JSON.stringify(body ?? {});
  return Number(/Bar (\d+) of/.exec(text)?.[1] ?? 0);
}

export const answer = (d: Record<string, unknown>): Reply => ({ text: JSON.stringify(d) });

export const HOLD = answer({ action: 'hold', confidence: 0.5, reason: 'nothing to do' });

/** A model that buys $1,000 of the perpetual at 2× on bar 1, closes it on bar 3, and holds otherwise. */
export const trader: Script = (req) => {
  const bar = barOf(req.body);
  if (bar === 1)
    return answer({
      action: 'buy',
      symbol: 'BTC/USDT:USDT',
      size: 1000,
      leverage: 2,
      take_profit: 1e9,
      stop_loss: 1,
      invalidation: 'never',
      confidence: 0.8,
      reason: 'bar one: go long',
    });
  if (bar === 3) return answer({ action: 'close', symbol: 'BTC/USDT:USDT', confidence: 0.9, reason: 'take it off' });
  return HOLD;
};

export function llmAgent(
  id: string,
  url: string,
  exchanges: ExchangeRecord[],
  over: Partial<LlmAgentConfig> = {},
  timing: AgentTiming = WALL_TIMING,
): LlmAgent {
  const config: LlmAgentConfig = {
    id,
    provider: 'openai-compatible',
    base_url: `${url}/v1`,
    model: 'gpt-4o-mini',
    max_tokens: 300,
    temperature: 0,
    seed: 7,
    deadline_ms: 20_000,
    retries: 2,
    backoff_ms: 10,
    budget: {},
    price: { input_per_million: 0.15, output_per_million: 0.6 },
    ...over,
  };
  return new LlmAgent(config, new OpenAiCompatibleProvider(config.base_url, KEY), (r) => exchanges.push(r), timing);
}

/** Every ledger record of a run, its body parsed. */
export async function ledgerOf(a: AssembledArena): Promise<{ kind: string; ref: string; body: unknown }[]> {
  const out: { kind: string; ref: string; body: unknown }[] = [];
  for await (const r of a.parts.ledger.records()) out.push({ kind: r.kind, ref: r.ref, body: JSON.parse(r.body) });
  return out;
}
