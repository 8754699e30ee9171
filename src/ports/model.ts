import type { Usage } from '../core/llm/cost.js';

/** One model call in decide mode: a system prompt and one user message. */
export interface ModelRequest {
  readonly model: string;
  readonly system: string;
  readonly user: string;
  readonly temperature?: number;
  readonly max_tokens: number;
  /** Where the provider takes one (OpenAI-compatible servers); Anthropic has none. */
  readonly seed?: number;
}

export interface ModelAnswer {
  readonly text: string;
  /** `length`: the answer was cut at max_tokens. */
  readonly finish: 'stop' | 'length' | 'tool_calls' | 'other';
  readonly usage: Usage;
  /** The model the provider says answered. */
  readonly model: string;
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
