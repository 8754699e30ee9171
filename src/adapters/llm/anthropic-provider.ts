import Anthropic from '@anthropic-ai/sdk';
import { ModelError } from '../../core/llm/errors.js';
import type { ModelAnswer, ModelProvider, ModelRequest, ModelToolCall } from '../../ports/model.js';
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
          messages: messagesOf(req),
          ...(req.tools?.length
            ? {
                tools: req.tools.map((t) => ({
                  name: t.name,
                  description: t.description,
                  input_schema: { ...t.input_schema, type: 'object' as const },
                })),
              }
            : {}),
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
    const calls: ModelToolCall[] = r.content
      .filter((b) => b.type === 'tool_use')
      .map((b) => {
        const u = b as Anthropic.ToolUseBlock;
        const input = u.input;
        return {
          id: u.id,
          name: u.name,
          arguments:
            input !== null && typeof input === 'object' && !Array.isArray(input)
              ? (input as Record<string, unknown>)
              : { invalid_arguments: input },
        };
      });
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
      ...(calls.length ? { tool_calls: calls } : {}),
    };
  }
}

/** The user message, then (tool mode) the model's tool_use turns and the tool_result blocks that answer them. */
function messagesOf(req: ModelRequest): Anthropic.MessageParam[] {
  const out: Anthropic.MessageParam[] = [{ role: 'user', content: req.user }];
  for (const t of req.turns ?? []) {
    if (t.role === 'assistant') {
      const content: Anthropic.ContentBlockParam[] = t.text ? [{ type: 'text', text: t.text }] : [];
      for (const c of t.tool_calls) content.push({ type: 'tool_use', id: c.id, name: c.name, input: c.arguments });
      out.push({ role: 'assistant', content });
      continue;
    }
    const block: Anthropic.ToolResultBlockParam = { type: 'tool_result', tool_use_id: t.id, content: t.content };
    const last = out[out.length - 1]!;
    if (last.role === 'user' && Array.isArray(last.content)) last.content.push(block);
    else out.push({ role: 'user', content: [block] });
  }
  return out;
}
