import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, tempHome } from '../support/cli.js';
import { type LlmEmulator, startOpenAiEmulator } from '../support/llm-emulators/index.js';
import { arenaFills, replay } from './support/arena-fills.js';
import { ADMIN, eventually, http, type Served, serve } from './support/outside.js';

const KEY = 'sk-serve-roster-Ty6uP0aZ3kQ8';

/**
 * `serve --arena SOURCE --roster FILE`: LLM agents trade live on the candle feed beside the built-ins, and the
 * installation's kill switch stops their new exposure like any agent's.
 */
describe('serve --arena --roster runs LLM agents live, under the kill switch', () => {
  let home: string;
  let srv: Served;
  let emu: LlmEmulator;

  beforeAll(async () => {
    home = tempHome('arbiter-ks-llm-');
    expect(cli(home, ['mandate', 'init']).code).toBe(0);
    // A model that adds $200 of the perpetual every bar (in decide mode, and through submit_intent in tool mode):
    // only a halt can stop it adding exposure.
    const intent = { symbol: 'BTC/USDT:USDT', side: 'buy', notional: 200, leverage: 1 };
    emu = await startOpenAiEmulator({ key: KEY, models: ['gpt-4o-mini'] }, (req) => {
      if (Array.isArray(req.body?.tools)) {
        const done = ((req.body?.messages ?? []) as { role: string }[]).filter((m) => m.role === 'tool').length;
        return done === 0
          ? { toolCalls: [{ name: 'submit_intent', arguments: { intent } }] }
          : { text: 'more, via MCP' };
      }
      return {
        text: JSON.stringify({
          action: 'buy',
          symbol: intent.symbol,
          size: 200,
          leverage: 1,
          confidence: 0.9,
          reason: 'always more',
        }),
      };
    });
    const roster = join(home, 'roster.json');
    writeFileSync(
      roster,
      JSON.stringify({
        agents: [
          'buy-hold',
          {
            id: 'greedy',
            kind: 'llm',
            provider: 'openai-compatible',
            base_url: `${emu.url}/v1`,
            model: 'gpt-4o-mini',
            api_key_env: 'SERVE_LLM_KEY',
            deadline_ms: 10_000,
          },
          {
            id: 'mcp-greedy',
            kind: 'llm',
            style: 'tool',
            provider: 'openai-compatible',
            base_url: `${emu.url}/v1`,
            model: 'gpt-4o-mini',
            api_key_env: 'SERVE_LLM_KEY',
          },
        ],
      }),
    );
    srv = await serve(home, ['--arena', 'csv:data/BTCUSDT_1h.csv', '--roster', roster, '--arena-start-after', '200'], {
      ARBITER_BAR_MS: '250',
      SERVE_LLM_KEY: KEY,
    });
  }, 120_000);

  afterAll(async () => {
    await srv?.stop();
    await emu?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('the roster’s agents are the arena’s: the LLM agent trades through the firewall, its spend on the leaderboard', async () => {
    const fills = await eventually(
      'both LLM agents to have two fills',
      async () => {
        const all = await arenaFills(srv.url);
        const f = all.filter((t) => t.agent_id === 'greedy');
        return f.length >= 2 && all.filter((t) => t.agent_id === 'mcp-greedy').length >= 2 ? f : undefined;
      },
      60_000,
    );
    expect(fills[0]!.symbol).toBe('BTC/USDT:USDT');
    const lb = await http(srv.url, 'GET', '/v1/leaderboard', { token: ADMIN });
    const ids = lb.body.rows.map((r: { agent_id: string }) => r.agent_id).sort();
    expect(ids, srv.log()).toEqual(['buy-hold', 'greedy', 'mcp-greedy']);
    const row = lb.body.rows.find((r: { agent_id: string }) => r.agent_id === 'greedy');
    expect(row.family).toBe('llm:decide');
    expect(row.model).toMatchObject({ model: 'gpt-4o-mini', priced: true });
    expect(row.model.calls).toBeGreaterThanOrEqual(2);
    expect(row.model.input_tokens).toBeGreaterThan(0);
    expect(row.model.cost_usd).toBeGreaterThan(0);
    expect(srv.log()).not.toContain(KEY);
    // Each decision with its model call: the prompt, the answer, tokens, cost and latency (the drawer's data).
    const d = await http(srv.url, 'GET', '/v1/arena/decisions?agent=greedy&limit=5', { token: ADMIN });
    expect(d.status, JSON.stringify(d.body)).toBe(200);
    const traded = d.body.decisions.find((x: { verdict_id: string }) => x.verdict_id !== '');
    expect(traded, JSON.stringify(d.body)).toMatchObject({
      reason: 'always more',
      decision: expect.stringMatching(/^ALLOW/),
    });
    expect(traded.exchanges).toHaveLength(1);
    expect(traded.exchanges[0].user).toMatch(/^Bar \d+ of/);
    expect(traded.exchanges[0].answer).toContain('"always more"');
    expect(traded.exchanges[0].input_tokens).toBeGreaterThan(0);
    expect(traded.exchanges[0].usd).toBeGreaterThan(0);
    expect(traded.exchanges[0].latency_ms).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(d.body)).not.toContain(KEY);
    const missing = await http(srv.url, 'GET', '/v1/arena/decisions', { token: ADMIN });
    expect(missing.status).toBe(400);
  }, 90_000);

  it('a global halt stops the LLM agents’ new exposure (decide and tool mode); they keep asking, the firewall refuses', async () => {
    const r = await http(srv.url, 'POST', '/v1/halt', { token: ADMIN, body: { reason: 'stop the models' } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const sweep = r.body.sweep.find((s: { target: string }) => s.target.startsWith('arena:'));
    const { bar, ts } = sweep.at as { bar: number; ts: number };
    const calls = emu.requests.length;
    const later = await eventually(
      'five more bars',
      async () => {
        const lb = await http(srv.url, 'GET', '/v1/leaderboard', { token: ADMIN });
        return lb.body.bar > bar + 5 ? lb : undefined;
      },
      60_000,
    );
    expect(emu.requests.length, 'the model was still asked each bar').toBeGreaterThan(calls);
    const { grew } = replay(await arenaFills(srv.url), ts);
    expect(
      grew.filter((f) => f.agent_id === 'greedy'),
      'fills that added exposure after the halt',
    ).toEqual([]);
    const row = later.body.rows.find((x: { agent_id: string }) => x.agent_id === 'greedy');
    expect(row.verdicts.REJECT ?? 0, 'its buys were refused').toBeGreaterThan(0);
  }, 90_000);
});

describe('serve --roster refuses before it listens', () => {
  const home = tempHome('arbiter-ks-llm-bad-');
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('a wrong roster names the field; an unset key names the variable; --roster needs --arena', () => {
    const bad = join(home, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        agents: ['buy-hold', { id: 'x', kind: 'llm', provider: 'gemini', model: 'm', api_key_env: 'K' }],
      }),
    );
    const args = ['serve', '--port', '0', '--arena', 'csv:data/BTCUSDT_1h.csv', '--roster'];
    const r = cli(home, [...args, bad]);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/ROSTER_INVALID: .*agents\[1\]\.provider/);
    const unset = join(home, 'unset.json');
    writeFileSync(
      unset,
      JSON.stringify({
        agents: [
          { id: 'y', kind: 'llm', provider: 'openai-compatible', model: 'm', api_key_env: 'NOT_SET_ANYWHERE_42' },
        ],
      }),
    );
    const k = cli(home, [...args, unset]);
    expect(k.code).not.toBe(0);
    expect(k.err).toMatch(
      /ROSTER_KEY_MISSING: agents\[0\]\.api_key_env: the environment variable NOT_SET_ANYWHERE_42 is not set/,
    );
    const alone = cli(home, ['serve', '--port', '0', '--roster', unset]);
    expect(alone.code).not.toBe(0);
    expect(alone.err).toMatch(/--roster needs --arena/);
  }, 60_000);
});
