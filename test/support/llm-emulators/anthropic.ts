import { type Dialect, LlmEmulator, type Script, tokens } from './server.js';

const KNOWN = new Set([
  'model',
  'messages',
  'max_tokens',
  'system',
  'temperature',
  'top_p',
  'top_k',
  'stop_sequences',
  'stream',
  'metadata',
  'tools',
  'tool_choice',
  'thinking',
  'service_tier',
]);

const TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

const err = (status: number, message: string) => ({
  type: 'error',
  error: { type: TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error'), message },
});
const invalid = (message: string) => ({ status: 400, body: err(400, message) });

function text(c: unknown): string {
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) return c.map((b) => (b as { text?: string }).text ?? '').join('');
  return '';
}

export interface AnthropicEmulatorOptions {
  readonly key: string;
  readonly models: readonly string[];
}

/** Anthropic's Messages API (`POST /v1/messages`), with its header and body checks. */
export function anthropicDialect(o: AnthropicEmulatorOptions): Dialect {
  let seq = 0;
  const usageOf = (body: Record<string, unknown>, out: string, u?: { input: number; output: number }) => ({
    input_tokens:
      u?.input ??
      tokens(
        `${text(body.system)}\n${(body.messages as unknown[]).map((m) => text((m as { content?: unknown }).content)).join('\n')}`,
      ),
    output_tokens: u?.output ?? tokens(out),
  });
  return {
    path: '/v1/messages',
    check(headers, body) {
      // The API takes the key as `x-api-key` or, as the official SDK (1.x) sends it, `Authorization: Bearer`.
      const bearer = /^Bearer (.+)$/.exec(String(headers.authorization ?? ''))?.[1];
      const key = headers['x-api-key'] ?? bearer;
      if (key === undefined) return { status: 401, body: err(401, 'x-api-key header is required') };
      if (key !== o.key) return { status: 401, body: err(401, 'invalid x-api-key') };
      if (headers['anthropic-version'] === undefined) return invalid('anthropic-version: header is required');
      if (body === null) return invalid('There was an issue with your request: the body is not valid JSON');
      const unknown = Object.keys(body).find((k) => !KNOWN.has(k));
      if (unknown) return invalid(`${unknown}: Extra inputs are not permitted`);
      if (typeof body.model !== 'string' || body.model === '') return invalid('model: Field required');
      if (body.max_tokens === undefined) return invalid('max_tokens: Field required');
      if (!(Number.isInteger(body.max_tokens) && (body.max_tokens as number) >= 1))
        return invalid('max_tokens: Input should be a valid integer greater than or equal to 1');
      const msgs = body.messages;
      if (!Array.isArray(msgs) || msgs.length === 0) return invalid('messages: at least one message is required');
      for (const [i, m] of msgs.entries()) {
        const role = (m as { role?: unknown }).role;
        if (role !== 'user' && role !== 'assistant')
          return invalid(
            `messages.${i}.role: Input should be 'user' or 'assistant'${role === 'system' ? ' (use the top-level system parameter)' : ''}`,
          );
        const c = (m as { content?: unknown }).content;
        if (!(typeof c === 'string' || Array.isArray(c))) return invalid(`messages.${i}.content: Field required`);
      }
      if ((msgs[0] as { role: string }).role !== 'user')
        return invalid('messages: first message must use the "user" role');
      const s = body.system;
      if (s !== undefined && !(typeof s === 'string' || Array.isArray(s)))
        return invalid('system: Input should be a valid string or list of text blocks');
      const t = body.temperature;
      if (t !== undefined && !(typeof t === 'number' && t >= 0 && t <= 1))
        return invalid('temperature: Input should be less than or equal to 1');
      if (!o.models.includes(body.model)) return { status: 404, body: err(404, `model: ${body.model}`) };
      return null;
    },
    error: err,
    success(body, reply) {
      const id = `msg_emu${++seq}`;
      const base = { id, type: 'message', role: 'assistant', model: body.model, stop_sequence: null };
      if ('toolCalls' in reply && reply.toolCalls) {
        const content = (reply.toolCalls as { name: string; arguments: Record<string, unknown> }[]).map((c, i) => ({
          type: 'tool_use',
          id: `toolu_emu${seq}_${i}`,
          name: c.name,
          input: c.arguments,
        }));
        return { ...base, content, stop_reason: 'tool_use', usage: usageOf(body, JSON.stringify(content)) };
      }
      const r = reply as { text: string; usage?: { input: number; output: number }; finish?: 'stop' | 'length' };
      return {
        ...base,
        content: [{ type: 'text', text: r.text }],
        stop_reason: r.finish === 'length' ? 'max_tokens' : 'end_turn',
        usage: usageOf(body, r.text, r.usage),
      };
    },
    stream(body, reply) {
      const id = `msg_emu${++seq}`;
      const usage = usageOf(body, reply.text, reply.usage);
      const ev = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
      let out = ev('message_start', {
        type: 'message_start',
        message: {
          id,
          type: 'message',
          role: 'assistant',
          model: body.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: usage.input_tokens, output_tokens: 1 },
        },
      });
      out += ev('content_block_start', {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'text', text: '' },
      });
      for (const p of reply.text.match(/.{1,8}/gs) ?? [])
        out += ev('content_block_delta', {
          type: 'content_block_delta',
          index: 0,
          delta: { type: 'text_delta', text: p },
        });
      out += ev('content_block_stop', { type: 'content_block_stop', index: 0 });
      out += ev('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage: { output_tokens: usage.output_tokens },
      });
      return out + ev('message_stop', { type: 'message_stop' });
    },
  };
}

export function startAnthropicEmulator(o: AnthropicEmulatorOptions, script: Script): Promise<LlmEmulator> {
  return LlmEmulator.start(anthropicDialect(o), script);
}
