import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildFileRoster } from '../../src/app/arena/llm-roster.js';
import { type LlmEntry, parseRoster, priceOf, readRosterFile } from '../../src/app/arena/roster-file.js';

const qwen = {
  id: 'qwen-decide',
  kind: 'llm',
  provider: 'openai-compatible',
  base_url: 'http://127.0.0.1:11434/v1',
  model: 'qwen2.5:7b',
  api_key_env: 'OLLAMA_API_KEY',
};

const refusal = (raw: unknown) => {
  try {
    parseRoster(raw);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('accepted');
};

describe('a roster file', () => {
  it('lists built-ins by name and LLM agents by their fields, defaults filled in', () => {
    const r = parseRoster({ agents: ['buy-hold', 'momentum', qwen] });
    const llm = r.agents[2];
    expect(typeof llm === 'object' && llm).toMatchObject({
      style: 'decide',
      max_tokens: 600,
      deadline_ms: 30_000,
      retries: 2,
      budget: {},
    });
    expect(r.concurrency).toBe(8);
    const built = buildFileRoster(r, { kind: 'live', env: { OLLAMA_API_KEY: 'k' } });
    expect(built.entries.map((e) => e.id)).toContain('buy-hold');
    expect(built.entries.map((e) => e.id)).toContain('qwen-decide');
    expect(built.entries.filter((e) => e.family === 'momentum').length).toBeGreaterThan(0);
  });

  it('gives a tool agent 6 tool calls per decision and a debate one round unless told', () => {
    const r = parseRoster({
      agents: [
        { ...qwen, id: 'tools', style: 'tool' },
        { ...qwen, id: 'debate', style: 'debate' },
      ],
    });
    const built = buildFileRoster(r, { kind: 'live', env: { OLLAMA_API_KEY: 'k' } });
    expect(built.entries.map((e) => [e.family, e.params.max_tool_calls ?? e.params.rounds])).toEqual([
      ['llm:tool', 6],
      ['llm:debate', 1],
    ]);
  });

  it.each([
    ['no agents', { agents: [] }, /agents: /],
    ['an unknown top-level key', { agents: ['buy-hold'], agent: [] }, /agent/],
    ['a bad provider', { agents: [{ ...qwen, provider: 'gemini' }] }, /agents\[0\]\.provider: /],
    [
      'a base_url with credentials',
      { agents: [{ ...qwen, base_url: 'http://u:p@host/v1' }] },
      /agents\[0\]\.base_url: must not carry credentials/,
    ],
    [
      'a base_url with a query',
      { agents: [{ ...qwen, base_url: 'http://host/v1?key=abc' }] },
      /agents\[0\]\.base_url: must not carry a query/,
    ],
    [
      'a base_url that is not http',
      { agents: [{ ...qwen, base_url: 'file:///etc/passwd' }] },
      /agents\[0\]\.base_url: must be an http/,
    ],
    [
      'a key in place of its variable name',
      { agents: [{ ...qwen, api_key_env: 'sk-abc 123' }] },
      /agents\[0\]\.api_key_env: must be an environment variable name/,
    ],
    ['a temperature of 3', { agents: [{ ...qwen, temperature: 3 }] }, /agents\[0\]\.temperature: /],
    [
      'a seed for Anthropic',
      { agents: [{ ...qwen, provider: 'anthropic', seed: 1 }] },
      /agents\[0\]\.seed: Anthropic takes no seed/,
    ],
    [
      'an unknown style',
      { agents: [{ ...qwen, style: 'swarm' }] },
      /agents\[0\]\.style: .*"decide"\|"tool"\|"debate"\|"persona"/,
    ],
    ['rounds on a decide agent', { agents: [{ ...qwen, rounds: 2 }] }, /agents\[0\]\.rounds: only for style "debate"/],
    ['too many debate rounds', { agents: [{ ...qwen, style: 'debate', rounds: 9 }] }, /agents\[0\]\.rounds: /],
    [
      'a misspelt debate role',
      { agents: [{ ...qwen, style: 'debate', roles: { bul: { model: 'x' } } }] },
      /agents\[0\]\.roles: .*bul/,
    ],
    [
      'a seed for a debate role on Anthropic',
      { agents: [{ ...qwen, style: 'debate', roles: { judge: { provider: 'anthropic', seed: 1 } } }] },
      /agents\[0\]\.roles\.judge\.seed: Anthropic takes no seed/,
    ],
    [
      'a persona team without personas',
      { agents: [{ ...qwen, style: 'persona' }] },
      /agents\[0\]\.personas: required for style "persona"/,
    ],
    [
      'one persona',
      { agents: [{ ...qwen, style: 'persona', personas: [{ name: 'a', brief: 'b' }] }] },
      /agents\[0\]\.personas: /,
    ],
    [
      'a persona without a brief',
      { agents: [{ ...qwen, style: 'persona', personas: [{ name: 'a', brief: 'b' }, { name: 'c' }] }] },
      /agents\[0\]\.personas\[1\]\.brief: /,
    ],
    [
      'a judge on a voting team',
      {
        agents: [
          {
            ...qwen,
            style: 'persona',
            personas: [
              { name: 'a', brief: 'b' },
              { name: 'c', brief: 'd' },
            ],
            judge: {},
          },
        ],
      },
      /agents\[0\]\.judge: only for style "persona" with decision "judge"/,
    ],
    [
      'a tool-call bound on a decide agent',
      { agents: [{ ...qwen, max_tool_calls: 3 }] },
      /agents\[0\]\.max_tool_calls: only for style "tool"/,
    ],
    [
      'a tool-call bound out of range',
      { agents: [{ ...qwen, style: 'tool', max_tool_calls: 0 }] },
      /agents\[0\]\.max_tool_calls: /,
    ],
    ['a misspelt field', { agents: [{ ...qwen, modle: 'x' }] }, /agents\[0\]: .*modle/],
    ['an agent id with a slash', { agents: [{ ...qwen, id: 'a/b' }] }, /agents\[0\]\.id: must match/],
    ['a number for an agent', { agents: [7] }, /agents\[0\]: must be a built-in agent name or an LLM agent object/],
    ['two agents with one id', { agents: [qwen, qwen] }, /id "qwen-decide" appears twice/],
    ['a negative budget', { agents: [{ ...qwen, budget: { usd: -1 } }] }, /agents\[0\]\.budget\.usd: /],
  ])('refuses %s, naming the field', (_, raw, message) => {
    expect(refusal(raw)).toMatch(/^ROSTER_INVALID: /);
    expect(refusal(raw)).toMatch(message);
  });

  it('refuses an unknown built-in by its place in the list', () => {
    const r = parseRoster({ agents: ['buy-hold', 'moonshot'] });
    expect(() => buildFileRoster(r, { kind: 'live', env: {} })).toThrow(/agents\[1\]: ARENA_UNKNOWN_AGENT/);
  });

  it('needs the key variable set, and names the variable, never a value', () => {
    const r = parseRoster({ agents: [qwen] });
    expect(() => buildFileRoster(r, { kind: 'live', env: {} })).toThrow(
      /ROSTER_KEY_MISSING: agents\[0\]\.api_key_env: the environment variable OLLAMA_API_KEY is not set/,
    );
  });
});

describe('examples/llm-roster.json', () => {
  it('is a valid roster: two built-ins and three LLM agents on three providers', () => {
    const r = readRosterFile(join(import.meta.dirname, '..', '..', 'examples', 'llm-roster.json'));
    expect(r.agents.filter((a) => typeof a === 'string')).toEqual(['buy-hold', 'momentum']);
    expect(r.agents.filter((a) => typeof a === 'object').map((a) => typeof a === 'object' && a.provider)).toEqual([
      'openai-compatible',
      'anthropic',
      'openai-compatible',
    ]);
  });
});

describe('the price of a model', () => {
  it("is the entry's own, else the roster's table, else the built-in list, else unknown (null)", () => {
    const r = parseRoster({
      agents: [
        { ...qwen, id: 'own', model: 'gpt-4o-mini', price: { input_per_million: 9, output_per_million: 9 } },
        { ...qwen, id: 'table', model: 'gpt-4o-mini' },
        { ...qwen, id: 'list', model: 'gpt-4o' },
        { ...qwen, id: 'none' },
      ],
      prices: { 'gpt-4o-mini': { input_per_million: 1, output_per_million: 2 } },
    });
    const [own, table, list, none] = r.agents as LlmEntry[];
    expect(priceOf(own!, r)).toEqual({ input_per_million: 9, output_per_million: 9 });
    expect(priceOf(table!, r)).toEqual({ input_per_million: 1, output_per_million: 2 });
    expect(priceOf(list!, r)).toEqual({ input_per_million: 2.5, output_per_million: 10 });
    expect(priceOf(none!, r)).toBe(null);
  });
});
