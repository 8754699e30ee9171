import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnthropicProvider } from '../../src/adapters/llm/anthropic-provider.js';
import { OpenAiCompatibleProvider } from '../../src/adapters/llm/openai-provider.js';
import { ModelError } from '../../src/core/llm/errors.js';
import type { ModelProvider, ModelRequest } from '../../src/ports/model.js';
import {
  type LlmEmulator,
  type Reply,
  startAnthropicEmulator,
  startOpenAiEmulator,
} from '../support/llm-emulators/index.js';

const KEY = 'sk-test-contract-0123456789abcdef';

interface Case {
  readonly name: string;
  readonly model: string;
  start(): Promise<LlmEmulator>;
  provider(url: string, key: string): ModelProvider;
  /** The key as the real API reads it from the request's headers. */
  readonly keyOf: (headers: Record<string, unknown>) => unknown;
}

const hold = (): Reply => ({ text: '{"action":"hold","confidence":0.5,"reason":"wait"}' });

const CASES: Case[] = [
  {
    name: 'openai-compatible',
    model: 'gpt-4o-mini',
    start: () => startOpenAiEmulator({ key: KEY, models: ['gpt-4o-mini'] }, hold),
    provider: (url, key) => new OpenAiCompatibleProvider(`${url}/v1`, key),
    keyOf: (h) => /^Bearer (.+)$/.exec(String(h.authorization))?.[1],
  },
  {
    name: 'anthropic',
    model: 'claude-haiku-4-5',
    start: () => startAnthropicEmulator({ key: KEY, models: ['claude-haiku-4-5'] }, hold),
    provider: (url, key) => new AnthropicProvider(url, key),
    keyOf: (h) => h['x-api-key'] ?? /^Bearer (.+)$/.exec(String(h.authorization))?.[1],
  },
];

const never = () => new AbortController().signal;

async function failure(p: Promise<unknown>): Promise<ModelError> {
  try {
    await p;
  } catch (e) {
    expect(e, String(e)).toBeInstanceOf(ModelError);
    return e as ModelError;
  }
  throw new Error('the call succeeded');
}

describe.each(CASES)('provider contract: $name', (c) => {
  let emu: LlmEmulator;
  let provider: ModelProvider;
  const req: ModelRequest = {
    model: c.model,
    system: 'You trade.',
    user: 'Bar 1. Decide.',
    max_tokens: 200,
    temperature: 0,
  };

  beforeAll(async () => {
    emu = await c.start();
    provider = c.provider(emu.url, KEY);
  });
  afterAll(() => emu.close());

  it('sends the prompt with the key in the header the API reads, and returns the text and usage', async () => {
    emu.answer([{ text: '{"action":"hold"}', usage: { input: 123, output: 7 } }]);
    const a = await provider.complete(req, never());
    expect(a).toMatchObject({
      text: '{"action":"hold"}',
      finish: 'stop',
      usage: { input_tokens: 123, output_tokens: 7 },
    });
    const sent = emu.requests.at(-1)!;
    expect(sent.status).toBe(200);
    expect(c.keyOf(sent.headers as Record<string, unknown>)).toBe(KEY);
    expect(JSON.stringify(sent.body)).toContain('You trade.');
    expect(JSON.stringify(sent.body)).toContain('Bar 1. Decide.');
    expect(sent.body).toMatchObject({ model: c.model, max_tokens: 200, temperature: 0 });
  });

  it('reports an answer cut at max_tokens', async () => {
    emu.answer([{ text: '{"action": "bu', finish: 'length' }]);
    expect((await provider.complete(req, never())).finish).toBe('length');
  });

  it('turns a wrong key into an auth failure whose message does not hold the key', async () => {
    const wrong = 'sk-wrong-key-that-must-not-leak-42';
    const e = await failure(c.provider(emu.url, wrong).complete(req, never()));
    expect(e.kind).toBe('auth');
    expect(e.status).toBe(401);
    expect(e.message).not.toContain(wrong);
  });

  it('turns an unknown model into a refusal (404), not a retry', async () => {
    const e = await failure(provider.complete({ ...req, model: 'no-such-model' }, never()));
    expect(e.kind).toBe('refused');
    expect(e.status).toBe(404);
  });

  it('turns 429 into rate_limited with the server’s Retry-After, and 500 into server', async () => {
    emu.answer([{ status: 429, retryAfterS: 2 }, { status: 500 }]);
    const limited = await failure(provider.complete(req, never()));
    expect(limited).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterMs: 2000 });
    const broken = await failure(provider.complete(req, never()));
    expect(broken).toMatchObject({ kind: 'server', status: 500 });
  });

  it('turns a body that is not the API’s JSON into a failure, never an answer', async () => {
    emu.answer([{ raw: '<html>502 Bad Gateway</html>' }]);
    const e = await failure(provider.complete(req, never()));
    expect(['malformed', 'connection']).toContain(e.kind);
  });

  it('turns a connection cut in the middle of the body into a connection failure', async () => {
    emu.answer([{ truncate: true }]);
    const e = await failure(provider.complete(req, never()));
    expect(['connection', 'malformed']).toContain(e.kind);
  });

  it('gives up at the deadline: an aborted call is a timeout', async () => {
    emu.answer([{ delayMs: 60_000, reply: hold() }]);
    const ac = new AbortController();
    const pending = provider.complete(req, ac.signal);
    // Abort once the emulator holds the request (no sleep: wait for the server to have it).
    await expect.poll(() => emu.inFlight, { timeout: 10_000 }).toBeGreaterThan(0);
    ac.abort();
    const e = await failure(pending);
    expect(e.kind).toBe('timeout');
  });
});

describe('the emulators refuse what the real APIs refuse', () => {
  let openai: LlmEmulator;
  let anthropic: LlmEmulator;
  beforeAll(async () => {
    openai = await startOpenAiEmulator({ key: KEY, models: ['m'] }, hold);
    anthropic = await startAnthropicEmulator({ key: KEY, models: ['m'] }, hold);
  });
  afterAll(async () => {
    await openai.close();
    await anthropic.close();
  });

  const post = async (url: string, headers: Record<string, string>, body: unknown) => {
    const r = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };

  it.each([
    ['no key', {}, { model: 'm', messages: [{ role: 'user', content: 'x' }] }, 401],
    ['no model', { authorization: `Bearer ${KEY}` }, { messages: [{ role: 'user', content: 'x' }] }, 400],
    ['no messages', { authorization: `Bearer ${KEY}` }, { model: 'm', messages: [] }, 400],
    [
      'a temperature of 3',
      { authorization: `Bearer ${KEY}` },
      { model: 'm', messages: [{ role: 'user', content: 'x' }], temperature: 3 },
      400,
    ],
    [
      'an unknown argument',
      { authorization: `Bearer ${KEY}` },
      { model: 'm', messages: [{ role: 'user', content: 'x' }], foo: 1 },
      400,
    ],
  ])('OpenAI: %s', async (_, headers, body, status) => {
    const r = await post(`${openai.url}/v1/chat/completions`, headers, body);
    expect(r.status).toBe(status);
    expect(r.body.error).toHaveProperty('message');
  });

  const v = { 'x-api-key': KEY, 'anthropic-version': '2023-06-01' };
  it.each([
    [
      'no key',
      { 'anthropic-version': '2023-06-01' },
      { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] },
      401,
    ],
    [
      'no anthropic-version',
      { 'x-api-key': KEY },
      { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] },
      400,
    ],
    ['no max_tokens', v, { model: 'm', messages: [{ role: 'user', content: 'x' }] }, 400],
    [
      'a system role inside messages',
      v,
      { model: 'm', max_tokens: 5, messages: [{ role: 'system', content: 'x' }] },
      400,
    ],
    [
      'a temperature of 1.5',
      v,
      { model: 'm', max_tokens: 5, temperature: 1.5, messages: [{ role: 'user', content: 'x' }] },
      400,
    ],
  ])('Anthropic: %s', async (_, headers, body, status) => {
    const r = await post(`${anthropic.url}/v1/messages`, headers, body);
    expect(r.status).toBe(status);
    expect(r.body).toMatchObject({ type: 'error', error: { message: expect.any(String) } });
  });
});
