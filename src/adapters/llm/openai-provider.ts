import OpenAI from 'openai';
import { ModelError } from '../../core/llm/errors.js';
import type { ModelAnswer, ModelProvider, ModelRequest, ModelToolCall } from '../../ports/model.js';
import { toModelError } from './errors.js';

/**
 * Any OpenAI-compatible chat-completions server (OpenAI, Ollama, vLLM, llama.cpp, OpenRouter, DeepSeek, …)
 * through the official `openai` client with `baseURL`. The SDK's own retries are off: the agent retries, so that
 * every attempt is recorded and the decision's deadline bounds them all.
 */
export class OpenAiCompatibleProvider implements ModelProvider {
  readonly kind = 'openai-compatible';
  private readonly client: OpenAI;

  constructor(
    baseUrl: string,
    private readonly key: string,
  ) {
    this.client = new OpenAI({ apiKey: key, baseURL: baseUrl, maxRetries: 0 });
  }

  async complete(req: ModelRequest, signal: AbortSignal): Promise<ModelAnswer> {
    let r: OpenAI.Chat.Completions.ChatCompletion;
    try {
      r = await this.client.chat.completions.create(
        {
          model: req.model,
          messages: messagesOf(req),
          ...(req.tools?.length
            ? {
                tools: req.tools.map((t) => ({
                  type: 'function' as const,
                  function: { name: t.name, description: t.description, parameters: { ...t.input_schema } },
                })),
              }
            : {}),
          max_tokens: req.max_tokens,
          ...(req.temperature === undefined ? {} : { temperature: req.temperature }),
          ...(req.seed === undefined ? {} : { seed: req.seed }),
        },
        { signal },
      );
    } catch (e) {
      throw toModelError(e, this.key, signal);
    }
    const choice = r.choices?.[0];
    if (!choice?.message) throw new ModelError('malformed', 'the response has no choices[0].message');
    const f = choice.finish_reason;
    return {
      text: choice.message.content ?? '',
      finish: f === 'stop' || f === 'length' || f === 'tool_calls' ? f : 'other',
      usage: { input_tokens: r.usage?.prompt_tokens ?? 0, output_tokens: r.usage?.completion_tokens ?? 0 },
      model: r.model ?? req.model,
      ...(choice.message.tool_calls?.length ? { tool_calls: choice.message.tool_calls.map(toolCallOf) } : {}),
    };
  }
}

type Message = OpenAI.Chat.Completions.ChatCompletionMessageParam;

/** The system prompt, the user message, then (tool mode) each turn: the model's tool calls and their results. */
function messagesOf(req: ModelRequest): Message[] {
  const out: Message[] = [
    { role: 'system', content: req.system },
    { role: 'user', content: req.user },
  ];
  for (const t of req.turns ?? []) {
    if (t.role === 'assistant')
      out.push({
        role: 'assistant',
        content: t.text || null,
        tool_calls: t.tool_calls.map((c) => ({
          id: c.id,
          type: 'function' as const,
          function: { name: c.name, arguments: JSON.stringify(c.arguments) },
        })),
      });
    else out.push({ role: 'tool', tool_call_id: t.id, content: t.content });
  }
  return out;
}

/** A tool call as the port carries it; arguments that are not a JSON object are the model's invalid output. */
function toolCallOf(c: OpenAI.Chat.Completions.ChatCompletionMessageToolCall): ModelToolCall {
  if (c.type !== 'function') throw new ModelError('malformed', `tool call ${c.id} is of type ${c.type}, not function`);
  let args: unknown;
  try {
    args = JSON.parse(c.function.arguments || '{}');
  } catch {
    args = null;
  }
  if (args === null || typeof args !== 'object' || Array.isArray(args))
    return { id: c.id, name: c.function.name, arguments: { invalid_arguments: c.function.arguments } };
  return { id: c.id, name: c.function.name, arguments: args as Record<string, unknown> };
}
