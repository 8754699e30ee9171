import type { AgentIntent, DecisionNote, Observation } from '../../core/arena/types.js';
import { decisionPrompt } from '../../core/llm/index.js';
import type { ModelProvider, ModelTool, ModelTurn } from '../../ports/model.js';
import {
  type AgentTiming,
  type ExchangeRecord,
  LlmAgent,
  type LlmAgentConfig,
  type Outcome,
  WALL_TIMING,
} from './llm-agent.js';

/** What the arena's MCP tools reach for this agent: the bar it observes and the intent it submits. */
export interface ToolDesk {
  observation(): Record<string, unknown>;
  submit(intent: unknown): Record<string, unknown>;
}

/** An MCP client session on Arbiter, as the agent's model sees it: the tools offered and a way to call them. */
export interface ToolSession {
  readonly tools: readonly ModelTool[];
  /** The tool's result as the text the model reads back. */
  call(name: string, args: Readonly<Record<string, unknown>>): Promise<string>;
  close(): Promise<void>;
}

/** Opens the agent's MCP session (the app wires it to the arena's own server, authenticated as the agent). */
export type ToolConnect = (agentId: string, desk: ToolDesk) => Promise<ToolSession>;

export const DEFAULT_MAX_TOOL_CALLS = 6;

export const TOOL_SYSTEM =
  'You are a trading agent in an arena, connected to Arbiter through MCP tools. Read what you need ' +
  '(get_observation, get_candles, get_ticker, …), then decide: call submit_intent once with an order intent ' +
  '(symbol, side, notional in USD, leverage, reduce_only to close) or with null to pass. Every intent is vetted ' +
  'by a signed firewall. End with one short sentence giving your reason.';

type Submitted = { readonly bar: number; readonly intent: AgentIntent | null };

/**
 * An LLM agent in tool mode: its model is an MCP client of Arbiter (the same server and tools an external agent
 * uses), calling the read tools and `submit_intent` through its provider's tool-calling API, at most
 * `max_tool_calls` calls per decision. The intent it submitted goes through the arena's firewall like any other;
 * a tool that does not exist, too many calls or a failed call is no trade, recorded with the reason. Every model
 * exchange (with the tool results the model was shown) is recorded like a decide-mode exchange.
 */
export class LlmToolAgent extends LlmAgent {
  private session: Promise<ToolSession> | null = null;
  private current: Observation | null = null;
  private submitted: Submitted | null = null;
  private note: string | null = null;

  constructor(
    config: LlmAgentConfig,
    provider: ModelProvider,
    record: (r: ExchangeRecord) => void,
    private readonly connect: ToolConnect,
    private readonly maxToolCalls = DEFAULT_MAX_TOOL_CALLS,
    timing: AgentTiming = WALL_TIMING,
  ) {
    super(config, provider, record, timing);
  }

  /** Closes the MCP session (the end of the run). */
  async close(): Promise<void> {
    const s = this.session;
    this.session = null;
    if (s) await (await s).close();
  }

  override decide(obs: Observation): AgentIntent | null {
    const s = this.submitted;
    return s && s.bar === obs.bar && this.traded ? s.intent : null;
  }

  override explain(): DecisionNote | null {
    return this.traded && this.submitted?.intent
      ? { reason: this.note ?? 'submitted by tool', inputs: this.facts() }
      : null;
  }

  private traded = false;

  private facts(): DecisionNote['inputs'] {
    const s = this.spent;
    return {
      model: this.c.model,
      style: 'tool',
      calls: s.calls,
      input_tokens: s.input_tokens,
      output_tokens: s.output_tokens,
      usd: s.usd,
    };
  }

  private desk(): ToolDesk {
    return {
      observation: () => {
        const obs = this.current;
        if (!obs) return { bar: null, text: 'no bar is open' };
        return { bar: obs.bar, text: decisionPrompt(obs, this.plans).user };
      },
      submit: (intent) => {
        const obs = this.current;
        if (!obs) return { accepted: false, reason: 'no bar is open' };
        this.submitted = { bar: obs.bar, intent: (intent ?? null) as AgentIntent | null };
        return { accepted: true, bar: obs.bar, vetted: 'when the round closes, by the arena firewall' };
      },
    };
  }

  protected override async think(obs: Observation): Promise<Outcome> {
    this.current = obs;
    this.submitted = null;
    this.traded = false;
    this.note = null;
    const out = await this.loop(obs);
    if (out.kind === 'submitted') this.traded = true;
    return out;
  }

  private async loop(obs: Observation): Promise<Outcome> {
    this.session ??= this.connect(this.id, this.desk());
    const session = await this.session;
    const offered = new Set(session.tools.map((t) => t.name));
    const user = `${decisionPrompt(obs, this.plans).user}\n\nYou may make at most ${this.maxToolCalls} tool calls for this bar.`;
    const deadline = this.deadline();
    const turns: ModelTurn[] = [];
    let calls = 0;
    for (;;) {
      const request = { ...this.request(TOOL_SYSTEM, user), tools: session.tools, turns: [...turns] };
      const got = await this.ask(obs.bar, request, deadline);
      if (!('answer' in got)) return got;
      const a = got.answer;
      const asked = a.tool_calls ?? [];
      if (asked.length === 0) {
        this.note = a.text.trim().slice(0, 500) || null;
        break;
      }
      const unknown = asked.find((c) => !offered.has(c.name));
      if (unknown)
        return {
          kind: 'none',
          reason: 'no trade: the model called a tool that does not exist',
          error: `LLM_INVALID_OUTPUT: unknown tool ${JSON.stringify(unknown.name).slice(0, 80)}: accepted ${[...offered].join(', ')}`,
        };
      if (calls + asked.length > this.maxToolCalls)
        return {
          kind: 'none',
          reason: 'no trade: the model went past its tool calls',
          error: `LLM_TOOL_LIMIT: ${calls + asked.length} tool calls asked, at most ${this.maxToolCalls} per decision`,
        };
      turns.push({ role: 'assistant', text: a.text, tool_calls: asked });
      for (const c of asked) {
        calls++;
        turns.push({ role: 'tool', id: c.id, name: c.name, content: await session.call(c.name, c.arguments) });
      }
    }
    const s = this.submitted;
    if (!s || s.bar !== obs.bar)
      return { kind: 'none', reason: this.note ?? 'no trade: no intent submitted', error: null };
    if (s.intent === null) return { kind: 'none', reason: this.note ?? 'pass', error: null };
    return { kind: 'submitted', intent: s.intent, reason: this.note ?? 'submitted through submit_intent' };
  }
}
