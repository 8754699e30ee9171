import Anthropic from '@anthropic-ai/sdk';
import { ModelError } from '../../core/llm/errors.js';
import type { ModelAnswer, ModelProvider, ModelRequest } from '../../ports/model.js';
import { toModelError } from './errors.js';

/**
 * Anthropic's Messages API through the official `@anthropic-ai/sdk` (its own retries off, as for OpenAI). The
 * system prompt goes in the top-level `system` field; Anthropic takes no seed.
 */
export class AnthropicProvider implements ModelProvider {
  readonly kind = 'anthropic';
  private readonly client: Anthropic;

  constructor(
    baseUrl: string,
    private readonly key: string,
  ) {
    this.client = new Anthropic({ apiKey: key, baseURL: baseUrl, maxRetries: 0 });
  }

  async complete(req: ModelRequest, signal: AbortSignal): Promise<ModelAnswer> {
    let r: Anthropic.Message;
    try {
      r = await this.client.messages.create(
        {
          model: req.model,
          max_tokens: req.max_tokens,
          system: req.system,
          messages: [{ role: 'user', content: req.user }],
          ...(req.temperature === undefined ? {} : { temperature: req.temperature }),
        },
        { signal },
      );
    } catch (e) {
      throw toModelError(e, this.key, signal);
    }
    if (!Array.isArray(r.content)) throw new ModelError('malformed', 'the response has no content blocks');
    const text = r.content
      .filter((b) => b.type === 'text')
      .map((b) => (b as { text: string }).text)
      .join('');
    const s = r.stop_reason;
    return {
      text,
      finish:
        s === 'end_turn' || s === 'stop_sequence'
          ? 'stop'
          : s === 'max_tokens'
            ? 'length'
            : s === 'tool_use'
              ? 'tool_calls'
              : 'other',
      usage: { input_tokens: r.usage?.input_tokens ?? 0, output_tokens: r.usage?.output_tokens ?? 0 },
      model: r.model ?? req.model,
    };
  }
}
