import { afterEach, describe, expect, it } from 'vitest';
import { AnthropicProvider } from '../../src/adapters/llm/anthropic-provider.js';
import { OpenAiCompatibleProvider } from '../../src/adapters/llm/openai-provider.js';
import { ReplayProvider } from '../../src/adapters/llm/replay-provider.js';
import type { AssembledArena } from '../../src/app/arena/assemble.js';
import { arenaToolConnect, MODEL_TOOLS } from '../../src/app/arena/llm-tools.js';
import { BuyAndHoldAgent } from '../../src/core/arena/index.js';
import type { ModelProvider } from '../../src/ports/model.js';
import type { AgentTiming, ExchangeRecord, LlmAgentConfig } from '../../src/services/arena/llm-agent.js';
import { LlmToolAgent } from '../../src/services/arena/llm-tool-agent.js';
import { arena } from '../arena/support/fixtures.js';
import {
  type LlmEmulator,
  type ReceivedRequest,
  type Reply,
  startAnthropicEmulator,
  startOpenAiEmulator,
} from '../support/llm-emulators/index.js';
import { barOf, KEY, ledgerOf } from './support.js';

const BARS = { bars: 6, warmup: 120 } as const;
const PERP = 'BTC/USDT:USDT';

/** The tool results a request carries so far (OpenAI `tool` messages or Anthropic `tool_result` blocks). */
function toolResults(req: ReceivedRequest): number {
  const msgs = (req.body?.messages ?? []) as { role: string; content: unknown }[];
  let n = 0;
  for (const m of msgs) {
    if (m.role === 'tool') n++;
    if (Array.isArray(m.content)) n += m.content.filter((b) => (b as { type?: string }).type === 'tool_result').length;
  }
  return n;
}

/** A model that reads its observation, buys $1,000 of the perpetual on bar 1 through submit_intent, else passes. */
const toolTrader = (req: ReceivedRequest): Reply => {
  const done = toolResults(req);
  if (done === 0) return { toolCalls: [{ name: 'get_observation', arguments: {} }] };
  if (done === 1) {
    const intent = barOf(req.body) === 1 ? { symbol: PERP, side: 'buy', notional: 1000, leverage: 2 } : null;
    return { toolCalls: [{ name: 'submit_intent', arguments: { intent } }] };
  }
  return { text: barOf(req.body) === 1 ? 'bar one: long through the tools' : 'nothing to do' };
};

function config(id: string, base_url: string, provider: string, model: string): LlmAgentConfig {
  return {
    id,
    provider,
    base_url,
    model,
    max_tokens: 300,
    temperature: 0,
    deadline_ms: 20_000,
    retries: 1,
    backoff_ms: 10,
    budget: {},
    price: { input_per_million: 1, output_per_million: 2 },
  };
}

const REPLAY_TIMING: AgentTiming = {
  deadline: () => new AbortController().signal,
  sleep: async () => {},
  now: () => 0,
};

/** A tool-mode agent wired to the arena's own MCP server (the arena's parts exist once it is assembled). */
async function toolArena(
  c: LlmAgentConfig,
  provider: ModelProvider,
  exchanges: ExchangeRecord[],
  opts: { max?: number; timing?: AgentTiming } = {},
): Promise<{ a: AssembledArena; agent: LlmToolAgent }> {
  let a: AssembledArena | null = null;
  const connect = arenaToolConnect(() => a!.parts);
  const agent = new LlmToolAgent(c, provider, (r) => exchanges.push(r), connect, opts.max, opts.timing);
  a = await arena([agent, new BuyAndHoldAgent('buy-hold')], BARS);
  return { a, agent };
}

describe('an LLM agent in tool mode (an MCP client of Arbiter)', () => {
  let emu: LlmEmulator | null = null;
  afterEach(async () => {
    await emu?.close();
    emu = null;
  });

  it('OpenAI: reads through MCP, submits an intent, the firewall vets it with a certificate; replay is identical', async () => {
    emu = await startOpenAiEmulator({ key: KEY, models: ['gpt-4o-mini'] }, toolTrader);
    const c = config('gpt-tools', `${emu.url}/v1`, 'openai-compatible', 'gpt-4o-mini');
    const exchanges: ExchangeRecord[] = [];
    const { a, agent } = await toolArena(c, new OpenAiCompatibleProvider(c.base_url, KEY), exchanges);
    let traces: string;
    try {
      await a.engine.run();
      const mine = a.engine.traces.filter((t) => t.agent === 'gpt-tools');
      const traded = mine.filter((t) => t.verdict_id !== '');
      expect(traded.map((t) => t.intent)).toEqual([{ symbol: PERP, side: 'buy', notional: 1000, leverage: 2 }]);
      expect(traded[0]!.decision).toMatch(/^ALLOW/);
      expect(traded[0]!.reason).toBe('bar one: long through the tools');
      const verdicts = (await ledgerOf(a)).filter((r) => r.kind === 'verdict').map((r) => r.ref);
      expect(verdicts).toContain(traded[0]!.verdict_id);
      // Every request offered the MCP server's tools, as the server lists them.
      const first = emu.requests[0]!.body as { tools: { function: { name: string; parameters: unknown } }[] };
      expect(first.tools.map((t) => t.function.name)).toEqual([...MODEL_TOOLS]);
      // The observation the model read came back from the MCP server in the next request.
      const second = JSON.stringify(emu.requests[1]!.body);
      expect(second).toContain('get_observation');
      expect(second).toMatch(/Bar 1 of/);
      expect(exchanges).toHaveLength(6 * 3);
      expect(exchanges.every((x) => x.response !== null)).toBe(true);
      traces = JSON.stringify(a.engine.traces);
    } finally {
      await agent.close();
      await a.close();
    }
    // Replay from the recordings with the emulator stopped.
    await emu.close();
    emu = null;
    const replay = new ReplayProvider('gpt-tools', exchanges);
    const again: ExchangeRecord[] = [];
    const r = await toolArena(c, replay, again, { timing: REPLAY_TIMING });
    try {
      await r.a.engine.run();
      expect(replay.problems).toEqual([]);
      expect(replay.unused).toBe(0);
      expect(JSON.stringify(r.a.engine.traces)).toBe(traces);
    } finally {
      await r.agent.close();
      await r.a.close();
    }
  }, 90_000);

  it('Anthropic: the same path through tool_use blocks', async () => {
    emu = await startAnthropicEmulator({ key: KEY, models: ['claude-haiku-4-5'] }, toolTrader);
    const c = config('claude-tools', emu.url, 'anthropic', 'claude-haiku-4-5');
    const exchanges: ExchangeRecord[] = [];
    const { a, agent } = await toolArena(c, new AnthropicProvider(c.base_url, KEY), exchanges);
    try {
      await a.engine.run();
      const traded = a.engine.traces.filter((t) => t.agent === 'claude-tools' && t.verdict_id !== '');
      expect(traded.map((t) => t.intent)).toEqual([{ symbol: PERP, side: 'buy', notional: 1000, leverage: 2 }]);
      expect(traded[0]!.decision).toMatch(/^ALLOW/);
      const tools = (emu.requests[0]!.body as { tools: { name: string }[] }).tools.map((t) => t.name);
      expect(tools).toEqual([...MODEL_TOOLS]);
    } finally {
      await agent.close();
      await a.close();
    }
  }, 90_000);

  it('a hallucinated tool is no trade, recorded with the tool named and the accepted ones', async () => {
    emu = await startOpenAiEmulator({ key: KEY, models: ['gpt-4o-mini'] }, (req) =>
      toolResults(req) === 0
        ? {
            toolCalls: [{ name: 'submit_intent', arguments: { intent: { symbol: PERP, side: 'buy', notional: 500 } } }],
          }
        : { toolCalls: [{ name: 'place_order_now', arguments: { symbol: PERP } }] },
    );
    const c = config('gpt-tools', `${emu.url}/v1`, 'openai-compatible', 'gpt-4o-mini');
    const { a, agent } = await toolArena(c, new OpenAiCompatibleProvider(c.base_url, KEY), []);
    try {
      await a.engine.run();
      const mine = a.engine.traces.filter((t) => t.agent === 'gpt-tools');
      expect(mine).toHaveLength(6);
      expect(mine.every((t) => t.verdict_id === '')).toBe(true);
      expect(mine[0]!.reason).toBe('no trade: the model called a tool that does not exist');
      expect(mine[0]!.error).toMatch(
        /^LLM_INVALID_OUTPUT: unknown tool "place_order_now": accepted get_observation, submit_intent/,
      );
      expect(a.engine.trades.filter((t) => t.agent === 'gpt-tools')).toEqual([]);
    } finally {
      await agent.close();
      await a.close();
    }
  }, 90_000);

  it('stops at its bound on tool calls: no trade, recorded', async () => {
    emu = await startOpenAiEmulator({ key: KEY, models: ['gpt-4o-mini'] }, () => ({
      toolCalls: [{ name: 'get_observation', arguments: {} }],
    }));
    const c = config('gpt-tools', `${emu.url}/v1`, 'openai-compatible', 'gpt-4o-mini');
    const exchanges: ExchangeRecord[] = [];
    const { a, agent } = await toolArena(c, new OpenAiCompatibleProvider(c.base_url, KEY), exchanges, { max: 3 });
    try {
      await a.engine.run();
      const mine = a.engine.traces.filter((t) => t.agent === 'gpt-tools');
      expect(mine.map((t) => t.error)).toEqual(
        Array(6).fill('LLM_TOOL_LIMIT: 4 tool calls asked, at most 3 per decision'),
      );
      expect(exchanges).toHaveLength(6 * 4);
    } finally {
      await agent.close();
      await a.close();
    }
  }, 90_000);
});
