import OpenAI from 'openai';
import { ModelError } from '../../core/llm/errors.js';
import type { ModelAnswer, ModelProvider, ModelRequest } from '../../ports/model.js';
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
          messages: [
            { role: 'system', content: req.system },
            { role: 'user', content: req.user },
          ],
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
    };
  }
}
