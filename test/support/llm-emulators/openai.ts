import { type Dialect, LlmEmulator, type Script, tokens } from './server.js';

/** Top-level fields the chat-completions API accepts (anything else: "Unrecognized request argument"). */
const KNOWN = new Set([
  'model',
  'messages',
  'temperature',
  'top_p',
  'n',
  'stream',
  'stream_options',
  'stop',
  'max_tokens',
  'max_completion_tokens',
  'presence_penalty',
  'frequency_penalty',
  'logit_bias',
  'logprobs',
  'top_logprobs',
  'user',
  'seed',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'response_format',
  'metadata',
  'store',
  'reasoning_effort',
  'service_tier',
]);
const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);

const err = (message: string, type: string, param: string | null, code: string | null) => ({
  error: { message, type, param, code },
});

const invalid = (message: string, param: string | null = null) => ({
  status: 400,
  body: err(message, 'invalid_request_error', param, null),
});

const isInt = (x: unknown) => typeof x === 'number' && Number.isInteger(x);

function contentText(c: unknown): string {
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) return c.map((p) => (p as { text?: string }).text ?? '').join('');
  return '';
}

function checkMessages(messages: unknown): { status: number; body: unknown } | null {
  if (!Array.isArray(messages) || messages.length === 0)
    return invalid("Invalid 'messages': empty array. Expected an array with minimum length 1.", 'messages');
  for (const [i, m] of messages.entries()) {
    const msg = m as Record<string, unknown>;
    if (!msg || typeof msg !== 'object' || !ROLES.has(String(msg.role)))
      return invalid(`Invalid value for 'messages[${i}].role'.`, `messages[${i}].role`);
    const ok =
      typeof msg.content === 'string' ||
      Array.isArray(msg.content) ||
      (msg.role === 'assistant' && msg.content === null && Array.isArray(msg.tool_calls));
    if (!ok) return invalid(`Invalid type for 'messages[${i}].content'.`, `messages[${i}].content`);
  }
  return null;
}

export interface OpenAiEmulatorOptions {
  readonly key: string;
  /** Models this server has (another: 404 model_not_found). */
  readonly models: readonly string[];
}

/** The OpenAI chat-completions wire (`POST /v1/chat/completions`), as OpenAI, vLLM, Ollama and others speak it. */
export function openAiDialect(o: OpenAiEmulatorOptions): Dialect {
  let seq = 0;
  const usageOf = (body: Record<string, unknown>, text: string, u?: { input: number; output: number }) => {
    const prompt =
      u?.input ??
      tokens((body.messages as unknown[]).map((m) => contentText((m as { content?: unknown }).content)).join('\n'));
    const completion = u?.output ?? tokens(text);
    return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
  };
  return {
    path: '/v1/chat/completions',
    check(headers, body) {
      const auth = headers.authorization;
      if (auth === undefined)
        return {
          status: 401,
          body: err(
            "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
            'invalid_request_error',
            null,
            null,
          ),
        };
      if (auth !== `Bearer ${o.key}`)
        return {
          status: 401,
          body: err('Incorrect API key provided.', 'invalid_request_error', null, 'invalid_api_key'),
        };
      if (body === null)
        return invalid(
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.)",
        );
      const unknown = Object.keys(body).find((k) => !KNOWN.has(k));
      if (unknown) return invalid(`Unrecognized request argument supplied: ${unknown}`);
      if (typeof body.model !== 'string' || body.model === '')
        return invalid('you must provide a model parameter', 'model');
      const bad = checkMessages(body.messages);
      if (bad) return bad;
      const t = body.temperature;
      if (t !== undefined && !(typeof t === 'number' && t >= 0 && t <= 2))
        return invalid(`Invalid 'temperature': decimal above maximum value. Expected a value <= 2.`, 'temperature');
      for (const k of ['max_tokens', 'max_completion_tokens', 'seed'] as const) {
        const v = body[k];
        if (v !== undefined && !(isInt(v) && (k === 'seed' || (v as number) >= 1)))
          return invalid(`Invalid '${k}': expected an integer${k === 'seed' ? '' : ' >= 1'}.`, k);
      }
      if (body.stream !== undefined && typeof body.stream !== 'boolean')
        return invalid("Invalid type for 'stream': expected a boolean.", 'stream');
      if (!o.models.includes(body.model))
        return {
          status: 404,
          body: err(
            `The model \`${body.model}\` does not exist or you do not have access to it.`,
            'invalid_request_error',
            null,
            'model_not_found',
          ),
        };
      return null;
    },
    error(status, message) {
      const type =
        status === 429
          ? 'rate_limit_exceeded'
          : status >= 500
            ? 'server_error'
            : status === 404
              ? 'invalid_request_error'
              : 'invalid_request_error';
      return err(message, type, null, status === 429 ? 'rate_limit_exceeded' : null);
    },
    success(body, reply) {
      const id = `chatcmpl-emu${++seq}`;
      const base = {
        id,
        object: 'chat.completion',
        created: 1_700_000_000 + seq,
        model: body.model,
        system_fingerprint: 'fp_emu',
      };
      if ('toolCalls' in reply && reply.toolCalls) {
        const calls = (reply.toolCalls as { name: string; arguments: Record<string, unknown> }[]).map((c, i) => ({
          id: `call_emu${seq}_${i}`,
          type: 'function',
          function: { name: c.name, arguments: JSON.stringify(c.arguments) },
        }));
        return {
          ...base,
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: null, refusal: null, tool_calls: calls },
              logprobs: null,
              finish_reason: 'tool_calls',
            },
          ],
          usage: usageOf(body, JSON.stringify(calls)),
        };
      }
      const r = reply as { text: string; usage?: { input: number; output: number }; finish?: 'stop' | 'length' };
      return {
        ...base,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: r.text, refusal: null },
            logprobs: null,
            finish_reason: r.finish ?? 'stop',
          },
        ],
        usage: usageOf(body, r.text, r.usage),
      };
    },
    stream(body, reply) {
      const id = `chatcmpl-emu${++seq}`;
      const chunk = (delta: unknown, finish: string | null, usage: unknown = undefined) =>
        `data: ${JSON.stringify({
          id,
          object: 'chat.completion.chunk',
          created: 1_700_000_000 + seq,
          model: body.model,
          choices: usage === undefined ? [{ index: 0, delta, logprobs: null, finish_reason: finish }] : [],
          ...(usage === undefined ? {} : { usage }),
        })}\n\n`;
      const parts = reply.text.match(/.{1,8}/gs) ?? [''];
      let out = chunk({ role: 'assistant', content: '' }, null);
      for (const p of parts) out += chunk({ content: p }, null);
      out += chunk({}, 'stop');
      const opts = body.stream_options as { include_usage?: boolean } | undefined;
      if (opts?.include_usage) out += chunk(null, null, usageOf(body, reply.text, reply.usage));
      return `${out}data: [DONE]\n\n`;
    },
  };
}

export function startOpenAiEmulator(o: OpenAiEmulatorOptions, script: Script): Promise<LlmEmulator> {
  return LlmEmulator.start(openAiDialect(o), script);
}
