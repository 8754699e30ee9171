import type { Usage } from '../core/llm/cost.js';

/** A tool the model may call (tool mode): an MCP tool's name, description and JSON Schema input. */
export interface ModelTool {
  readonly name: string;
  readonly description: string;
  readonly input_schema: Readonly<Record<string, unknown>>;
}

/** A tool call the model asked for. `id` is the provider's, echoed back with the result. */
export interface ModelToolCall {
  readonly id: string;
  readonly name: string;
  readonly arguments: Readonly<Record<string, unknown>>;
}

/** A turn after the first user message (tool mode): the model's tool calls, then their results. */
export type ModelTurn =
  | { readonly role: 'assistant'; readonly text: string; readonly tool_calls: readonly ModelToolCall[] }
  | { readonly role: 'tool'; readonly id: string; readonly name: string; readonly content: string };

/**
 * One model call: a system prompt and one user message (decide mode), plus in tool mode the tools offered and
 * the turns so far.
 */
export interface ModelRequest {
  readonly model: string;
  readonly system: string;
  readonly user: string;
  readonly temperature?: number;
  readonly max_tokens: number;
  /** Where the provider takes one (OpenAI-compatible servers); Anthropic has none. */
  readonly seed?: number;
  readonly tools?: readonly ModelTool[];
  readonly turns?: readonly ModelTurn[];
}

export interface ModelAnswer {
  readonly text: string;
  /** `length`: the answer was cut at max_tokens. */
  readonly finish: 'stop' | 'length' | 'tool_calls' | 'other';
  readonly usage: Usage;
  /** The model the provider says answered. */
  readonly model: string;
  /** The tools the model called (tool mode), in its order. */
  readonly tool_calls?: readonly ModelToolCall[];
}

/**
 * A model provider behind one port (OpenAI-compatible servers, Anthropic, a replay of recordings). A failure is
 * a ModelError (core/llm/errors.ts) whose message never carries the key.
 */
export interface ModelProvider {
  /** `openai-compatible`, `anthropic` or `replay`. */
  readonly kind: string;
  complete(req: ModelRequest, signal: AbortSignal): Promise<ModelAnswer>;
}

/** One model exchange as a run folder keeps it (llm/exchanges.jsonl): no key, ever. */
export interface ModelExchange {
  readonly agent: string;
  /** Debate and persona agents: the role that made the call (`bull`, `bear`, `risk`, `judge`, `persona:NAME`). */
  readonly role?: string;
  readonly bar: number;
  readonly attempt: number;
  readonly provider: string;
  readonly base_url: string;
  readonly request: ModelRequest;
  readonly response: ModelAnswer | null;
  readonly error: {
    readonly kind: string;
    readonly status: number | null;
    readonly message: string;
    /** False when the deadline had passed before the request was sent. */
    readonly sent: boolean;
  } | null;
  readonly usd: number;
  readonly latency_ms: number;
}
