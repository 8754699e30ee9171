import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LlmEmulator, startAnthropicEmulator, startOpenAiEmulator } from '../support/llm-emulators/index.js';

const KEY = 'sk-test-wire-0011223344556677';
const TEXT = '{"action":"hold","confidence":0.4,"reason":"streamed in pieces"}';

/** The emulators speak a wire the official clients read: streamed answers and tool calls included. */
describe('the emulated wires, read by the official clients', () => {
  let openaiEmu: LlmEmulator;
  let anthropicEmu: LlmEmulator;
  let openai: OpenAI;
  let anthropic: Anthropic;

  beforeAll(async () => {
    openaiEmu = await startOpenAiEmulator({ key: KEY, models: ['gpt-4o-mini'] }, () => ({ text: TEXT }));
    anthropicEmu = await startAnthropicEmulator({ key: KEY, models: ['claude-haiku-4-5'] }, () => ({ text: TEXT }));
    openai = new OpenAI({ apiKey: KEY, baseURL: `${openaiEmu.url}/v1`, maxRetries: 0 });
    anthropic = new Anthropic({ apiKey: KEY, baseURL: anthropicEmu.url, maxRetries: 0 });
  });
  afterAll(async () => {
    await openaiEmu.close();
    await anthropicEmu.close();
  });

  it('OpenAI: a streamed answer arrives in chunks and ends with usage when asked for', async () => {
    const stream = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'decide' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let chunks = 0;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const c of stream) {
      chunks += 1;
      text += c.choices[0]?.delta?.content ?? '';
      usage = c.usage ?? usage;
    }
    expect(text).toBe(TEXT);
    expect(chunks).toBeGreaterThan(3);
    expect(usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('OpenAI: a tool call comes back as the API sends it (name and JSON arguments)', async () => {
    openaiEmu.answer([
      { toolCalls: [{ name: 'place_order', arguments: { symbol: 'BTC/USDT', side: 'buy', notional: 50 } }] },
    ]);
    const r = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'buy a little' }],
      tools: [{ type: 'function', function: { name: 'place_order', parameters: { type: 'object', properties: {} } } }],
    });
    const call = r.choices[0]!.message.tool_calls![0]!;
    expect(r.choices[0]!.finish_reason).toBe('tool_calls');
    expect(call.type === 'function' && call.function.name).toBe('place_order');
    expect(call.type === 'function' && JSON.parse(call.function.arguments)).toEqual({
      symbol: 'BTC/USDT',
      side: 'buy',
      notional: 50,
    });
  });

  it('Anthropic: a streamed message arrives as text deltas with its final usage', async () => {
    const stream = anthropic.messages.stream({
      model: 'claude-haiku-4-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'decide' }],
    });
    let text = '';
    stream.on('text', (t) => {
      text += t;
    });
    const final = await stream.finalMessage();
    expect(text).toBe(TEXT);
    expect(final.stop_reason).toBe('end_turn');
    expect(final.usage.output_tokens).toBeGreaterThan(0);
  });

  it('Anthropic: a tool_use block comes back with its input', async () => {
    anthropicEmu.answer([{ toolCalls: [{ name: 'get_ticker', arguments: { symbol: 'BTC/USDT' } }] }]);
    const r = await anthropic.messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'look' }],
      tools: [{ name: 'get_ticker', input_schema: { type: 'object', properties: {} } }],
    });
    expect(r.stop_reason).toBe('tool_use');
    expect(r.content[0]).toMatchObject({ type: 'tool_use', name: 'get_ticker', input: { symbol: 'BTC/USDT' } });
  });
});
