import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliAsync, tempHome } from '../support/cli.js';
import {
  type LlmEmulator,
  type ReceivedRequest,
  type Reply,
  startOpenAiEmulator,
} from '../support/llm-emulators/index.js';
import { answer, barOf, HOLD, trader } from './support.js';

const KEY = 'sk-e2e-tools-Lw3nB8cV1xZ6qP0r';
const PERP = 'BTC/USDT:USDT';

/** Tool results so far in an OpenAI request. */
const toolResults = (req: ReceivedRequest) =>
  ((req.body?.messages ?? []) as { role: string }[]).filter((m) => m.role === 'tool').length;

/**
 * One emulated server for both styles: a request offering tools is the tool agent's (it reads its observation,
 * buys $800 of the perpetual on bar 2 through submit_intent and passes otherwise); the debate's roles are known by
 * their system prompts (the judge buys $600 of spot on bar 3); the rest is the decide agent's.
 */
const script = (req: ReceivedRequest, n: number): Reply => {
  const system = ((req.body?.messages ?? []) as { role: string; content: string }[])[0]?.content ?? '';
  if (system.includes('BULL')) return { text: 'bull: higher highs' };
  if (system.includes('BEAR')) return { text: 'bear: thin volume' };
  if (system.includes('RISK MANAGER')) return { text: 'risk: small spot only' };
  if (system.includes('TRADER'))
    return barOf(req.body) === 3
      ? answer({ action: 'buy', symbol: 'BTC/USDT', size: 600, confidence: 0.6, reason: 'judge: some spot' })
      : HOLD;
  if (!Array.isArray(req.body?.tools)) return trader(req, n);
  const done = toolResults(req);
  if (done === 0) return { toolCalls: [{ name: 'get_observation', arguments: {} }] };
  if (done === 1) {
    const intent = barOf(req.body) === 2 ? { symbol: PERP, side: 'buy', notional: 800, leverage: 2 } : null;
    return { toolCalls: [{ name: 'submit_intent', arguments: { intent } }] };
  }
  return { text: barOf(req.body) === 2 ? 'bar two: long via MCP' : 'pass' };
};

describe('arena run --roster with decide, tool and debate agents beside built-ins (built CLI, emulated provider)', () => {
  const home = tempHome('arbiter-llm-tools-');
  const runDir = join(home, 'run');
  const rosterFile = join(home, 'roster.json');
  let emu: LlmEmulator;
  let first: { code: number; out: string; err: string };

  beforeAll(async () => {
    emu = await startOpenAiEmulator({ key: KEY, models: ['gpt-4o-mini'] }, script);
    const llm = {
      kind: 'llm',
      provider: 'openai-compatible',
      base_url: `${emu.url}/v1`,
      model: 'gpt-4o-mini',
      api_key_env: 'E2E_TOOLS_KEY',
      temperature: 0,
      seed: 7,
    };
    writeFileSync(
      rosterFile,
      JSON.stringify({
        agents: [
          'buy-hold',
          'momentum',
          { id: 'decider', ...llm },
          { id: 'tooler', style: 'tool', max_tool_calls: 4, ...llm },
          { id: 'debater', style: 'debate', ...llm },
        ],
      }),
    );
    first = await cliAsync(
      home,
      ['arena', 'run', '--roster', rosterFile, '--source', 'synthetic', '--bars', '8', '--warmup', '120'].concat([
        '--seed',
        '7',
        '--bootstrap',
        '50',
        '--quiet',
        '--out',
        runDir,
      ]),
      { E2E_TOOLS_KEY: KEY },
    );
  }, 120_000);

  afterAll(() => emu?.close());

  it('runs the tool agent beside a decide agent and a built-in, its intent through the firewall with a certificate', () => {
    expect(first.code, first.err).toBe(0);
    const decisions = readFileSync(join(runDir, 'decisions.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const verdicts = readFileSync(join(runDir, 'ledger.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; ref: string })
      .filter((r) => r.kind === 'verdict')
      .map((r) => r.ref);
    const tooled = decisions.filter((d) => d.agent === 'tooler' && d.verdict_id !== '');
    expect(tooled.map((d) => d.intent)).toEqual([{ symbol: PERP, side: 'buy', notional: 800, leverage: 2 }]);
    expect(tooled[0].reason).toBe('bar two: long via MCP');
    expect(verdicts).toContain(tooled[0].verdict_id);
    expect(decisions.some((d) => d.agent === 'decider' && d.verdict_id !== '')).toBe(true);
    const debated = decisions.filter((d) => d.agent === 'debater' && d.verdict_id !== '');
    expect(debated.map((d) => d.intent)).toEqual([{ symbol: 'BTC/USDT', side: 'buy', notional: 600 }]);
    expect(verdicts).toContain(debated[0].verdict_id);
    expect(debated[0].inputs.transcript).toMatch(
      /\[bull · gpt-4o-mini\][\s\S]*\[bear[\s\S]*\[risk[\s\S]*\[judge[\s\S]*judge: some spot/,
    );
    const board = JSON.parse(readFileSync(join(runDir, 'leaderboard.json'), 'utf8')) as {
      rows: { agent: string; model?: { calls: number } }[];
    };
    expect(board.rows.find((r) => r.agent === 'tooler')?.model?.calls, 'three model calls a bar').toBe(8 * 3);
    const exchanges = readFileSync(join(runDir, 'llm', 'exchanges.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const last = exchanges.filter((x) => x.agent === 'tooler').at(-1);
    expect(last.request.tools.map((t: { name: string }) => t.name)).toContain('submit_intent');
    expect(last.request.turns.map((t: { role: string; name?: string }) => t.name ?? t.role)).toEqual([
      'assistant',
      'get_observation',
      'assistant',
      'submit_intent',
    ]);
    expect(
      exchanges
        .filter((x) => x.agent === 'debater')
        .map((x) => x.role)
        .slice(0, 4),
    ).toEqual(['bull', 'bear', 'risk', 'judge']);
    for (const x of exchanges) expect(JSON.stringify(x)).not.toContain(KEY);
  });

  it('replays byte-identically with the emulator stopped', async () => {
    expect(first.code, first.err).toBe(0);
    await emu.close();
    const calls = emu.requests.length;
    const out = join(home, 'replay');
    const r = await cliAsync(home, ['arena', 'replay', runDir, '--out', out, '--quiet']);
    expect(r.code, r.err).toBe(0);
    expect(emu.requests.length, 'no model was called').toBe(calls);
    for (const f of ['leaderboard.json', 'ledger.jsonl', 'decisions.jsonl', 'trades.jsonl', 'checkpoints.json'])
      expect(readFileSync(join(out, f), 'utf8'), f).toBe(readFileSync(join(runDir, f), 'utf8'));
  }, 120_000);
});
