import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliAsync, tempHome } from '../support/cli.js';
import {
  type LlmEmulator,
  type Script,
  startAnthropicEmulator,
  startOpenAiEmulator,
} from '../support/llm-emulators/index.js';
import { answer, barOf, HOLD, trader } from './support.js';

const OPENAI_KEY = 'sk-e2e-openai-Zq81xV0c3mN7tLp2';
const ANTHROPIC_KEY = 'sk-ant-e2e-anthropic-Hy4kW9sB6fQ1';

/** Buys $500 of spot on bar 2, holds otherwise. */
const spotBuyer: Script = (req) =>
  barOf(req.body) === 2
    ? answer({ action: 'buy', symbol: 'BTC/USDT', size: 500, confidence: 0.6, reason: 'bar two: some spot' })
    : HOLD;

const run = cliAsync;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('arena run --roster with LLM agents (built CLI, emulated providers)', () => {
  const home = tempHome('arbiter-llm-e2e-');
  const runDir = join(home, 'run');
  const rosterFile = join(home, 'roster.json');
  let openai: LlmEmulator;
  let anthropic: LlmEmulator;
  let first: { code: number; out: string; err: string };

  beforeAll(async () => {
    openai = await startOpenAiEmulator({ key: OPENAI_KEY, models: ['gpt-4o-mini'] }, trader);
    anthropic = await startAnthropicEmulator({ key: ANTHROPIC_KEY, models: ['claude-haiku-4-5'] }, spotBuyer);
    writeFileSync(
      rosterFile,
      JSON.stringify({
        agents: [
          'buy-hold',
          'momentum',
          {
            id: 'gpt',
            kind: 'llm',
            provider: 'openai-compatible',
            base_url: `${openai.url}/v1`,
            model: 'gpt-4o-mini',
            api_key_env: 'E2E_OPENAI_KEY',
            temperature: 0,
            seed: 7,
          },
          {
            id: 'claude',
            kind: 'llm',
            provider: 'anthropic',
            base_url: anthropic.url,
            model: 'claude-haiku-4-5',
            api_key_env: 'E2E_ANTHROPIC_KEY',
            temperature: 0,
            budget: { calls: 20 },
          },
        ],
        concurrency: 4,
      }),
    );
    first = await run(
      home,
      ['arena', 'run', '--roster', rosterFile, '--source', 'synthetic', '--bars', '25', '--warmup', '120'].concat([
        '--seed',
        '7',
        '--bootstrap',
        '100',
        '--partitions',
        '4',
        '--out',
        runDir,
      ]),
      { E2E_OPENAI_KEY: OPENAI_KEY, E2E_ANTHROPIC_KEY: ANTHROPIC_KEY },
    );
  }, 120_000);

  afterAll(async () => {
    await openai?.close();
    await anthropic?.close();
  });

  it('runs two LLM agents (one per provider) beside built-ins, every trade through the firewall', () => {
    expect(first.code, first.err).toBe(0);
    const board = JSON.parse(readFileSync(join(runDir, 'leaderboard.json'), 'utf8')) as {
      trials: number;
      rows: {
        agent: string;
        model?: { calls: number; input_tokens: number; output_tokens: number; cost_usd: number; priced: boolean };
      }[];
    };
    const agents = board.rows.map((r) => r.agent);
    expect(board.trials, 'every agent, LLM agents included, is a trial of the deflated Sharpe').toBe(agents.length);
    expect(agents).toEqual(expect.arrayContaining(['buy-hold', 'gpt', 'claude']));
    expect(agents.some((a) => a.startsWith('momentum'))).toBe(true);
    const gpt = board.rows.find((r) => r.agent === 'gpt')!.model!;
    const claude = board.rows.find((r) => r.agent === 'claude')!.model!;
    expect(gpt).toMatchObject({ calls: 25, priced: true });
    expect(claude).toMatchObject({ calls: 20, priced: true });
    expect(gpt.input_tokens).toBeGreaterThan(0);
    expect(gpt.cost_usd).toBeCloseTo((gpt.input_tokens * 0.15 + gpt.output_tokens * 0.6) / 1e6, 12);
    expect(board.rows.find((r) => r.agent === 'buy-hold')).not.toHaveProperty('model');
    expect(first.err, 'the leaderboard on stderr shows tokens and cost').toMatch(/gpt .* tokens \$0\.\d{4}/);
    const report = readFileSync(join(runDir, 'report.html'), 'utf8');
    expect(report, 'the report shows each LLM agent’s spend').toContain(
      `${gpt.input_tokens + gpt.output_tokens} tokens · 25 calls · $${gpt.cost_usd.toFixed(4)}`,
    );

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
    for (const id of ['gpt', 'claude']) {
      const traded = decisions.filter((d) => d.agent === id && d.verdict_id !== '');
      expect(traded.length, `${id} traded`).toBeGreaterThan(0);
      for (const t of traded) expect(verdicts).toContain(t.verdict_id);
    }
    const spent = decisions.filter((d) => d.agent === 'claude' && d.error === 'BUDGET_SPENT: calls=20 spent=20');
    expect(spent).toHaveLength(5);

    const exchanges = readFileSync(join(runDir, 'llm', 'exchanges.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(exchanges.filter((x) => x.agent === 'gpt')).toHaveLength(25);
    expect(exchanges.filter((x) => x.agent === 'claude')).toHaveLength(20);
    expect(exchanges[0]).toMatchObject({
      request: { system: expect.any(String), user: expect.any(String) },
      response: { usage: expect.any(Object) },
    });
    expect(exchanges[0].latency_ms).toBeGreaterThanOrEqual(0);
  });

  it('leaves evidence anyone can check: arena verify accepts the run against the installation key', async () => {
    expect(first.code, first.err).toBe(0);
    const r = await run(home, ['arena', 'verify', runDir]);
    expect(r.code, r.out + r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ ok: true, problems: [] });
  });

  it('keeps both keys out of every file of the run folder and out of the output', () => {
    expect(first.code, first.err).toBe(0);
    const files = filesUnder(runDir);
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      expect(text.includes(OPENAI_KEY), `${f} holds the OpenAI key`).toBe(false);
      expect(text.includes(ANTHROPIC_KEY), `${f} holds the Anthropic key`).toBe(false);
    }
    expect(first.out + first.err).not.toContain(OPENAI_KEY);
    expect(first.out + first.err).not.toContain(ANTHROPIC_KEY);
  });

  it('takes a key the environment lacks from the secrets file (0600) `models` section, and writes it nowhere', async () => {
    const secrets = join(home, 'secrets.json');
    writeFileSync(secrets, JSON.stringify({ models: { E2E_ANTHROPIC_KEY: ANTHROPIC_KEY } }), { mode: 0o600 });
    const out = join(home, 'from-secrets');
    const r = await run(
      home,
      [
        'arena',
        'run',
        '--roster',
        rosterFile,
        '--source',
        'synthetic',
        '--bars',
        '3',
        '--warmup',
        '120',
        '--out',
        out,
      ].concat(['--bootstrap', '50', '--partitions', '2', '--quiet', '--no-report']),
      { E2E_OPENAI_KEY: OPENAI_KEY, E2E_ANTHROPIC_KEY: '', ARBITER_SECRETS_FILE: secrets },
    );
    expect(r.code, r.err).toBe(0);
    const exchanges = readFileSync(join(out, 'llm', 'exchanges.jsonl'), 'utf8');
    expect(
      exchanges.split('\n').filter((l) => l.includes('"agent":"claude"') && l.includes('"response":{')).length,
    ).toBe(3);
    for (const f of filesUnder(out)) expect(readFileSync(f, 'utf8').includes(ANTHROPIC_KEY), f).toBe(false);
  }, 120_000);

  it('replays from the recordings with the emulators stopped: byte-identical leaderboard and ledger', async () => {
    expect(first.code, first.err).toBe(0);
    await openai.close();
    await anthropic.close();
    const calls = openai.requests.length + anthropic.requests.length;
    const out = join(home, 'replay');
    const r = await run(home, ['arena', 'replay', runDir, '--out', out, '--quiet']);
    expect(r.code, r.err).toBe(0);
    expect(openai.requests.length + anthropic.requests.length, 'no model was called').toBe(calls);
    for (const f of ['leaderboard.json', 'ledger.jsonl', 'decisions.jsonl', 'trades.jsonl', 'checkpoints.json']) {
      expect(readFileSync(join(out, f), 'utf8'), f).toBe(readFileSync(join(runDir, f), 'utf8'));
    }
  }, 120_000);

  it('refuses a replay whose recordings were edited, naming the agent and the call', async () => {
    expect(first.code, first.err).toBe(0);
    const edited = join(home, 'edited');
    await run(home, ['arena', 'replay', runDir, '--out', edited, '--quiet']);
    const path = join(edited, 'llm', 'exchanges.jsonl');
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    const x = JSON.parse(lines[0]!);
    x.request.user = `${x.request.user} (edited)`;
    lines[0] = JSON.stringify(x);
    writeFileSync(path, `${lines.join('\n')}\n`);
    const r = await run(home, ['arena', 'replay', edited, '--out', join(home, 'edited-replay'), '--quiet']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      new RegExp(`REPLAY_MISMATCH: agent ${x.agent} call 1 asks something other than the recorded request`),
    );
  }, 120_000);

  it('refuses a wrong roster file before anything runs, every problem named by its field', async () => {
    const bad = join(home, 'bad-roster.json');
    writeFileSync(
      bad,
      JSON.stringify({
        agents: [
          'buy-hold',
          { id: 'x', kind: 'llm', provider: 'gemini', base_url: 'ftp://h', model: 'm', api_key_env: 'K' },
        ],
      }),
    );
    const r = await run(home, [
      'arena',
      'run',
      '--roster',
      bad,
      '--source',
      'synthetic',
      '--bars',
      '5',
      '--out',
      join(home, 'bad'),
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/ROSTER_INVALID: .*agents\[1\]\.provider: .*agents\[1\]\.base_url: must be an http/);
  });

  it('refuses a roster whose key variable is unset, naming the variable and never a value', async () => {
    const r = await run(
      home,
      ['arena', 'run', '--roster', rosterFile, '--source', 'synthetic', '--bars', '5', '--out', join(home, 'nokey')],
      {
        E2E_OPENAI_KEY: OPENAI_KEY,
        E2E_ANTHROPIC_KEY: '',
      },
    );
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(
      /ROSTER_KEY_MISSING: agents\[3\]\.api_key_env: the environment variable E2E_ANTHROPIC_KEY is not set/,
    );
    expect(r.err).not.toContain(OPENAI_KEY);
  });
});
