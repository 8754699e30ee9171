import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../killswitch/support/outside.js';
import { BIN, cliAsync, tempHome } from '../support/cli.js';
import { type LlmEmulator, startOpenAiEmulator } from '../support/llm-emulators/index.js';
import { KEY, trader } from './support.js';

const FILES = ['leaderboard.json', 'ledger.jsonl', 'decisions.jsonl', 'trades.jsonl', 'checkpoints.json'];
const ENV = { LIVE_REPLAY_KEY: KEY };

/**
 * `arena replay` of an `arena live` run: the live run's folder (its run.json, roster and the exchanges it appended
 * bar by bar) re-runs with no model reachable and gives the same leaderboard and ledger, byte for byte — also when
 * the live run was stopped with Ctrl-C and resumed.
 */
describe('arena replay of an arena live run (built CLI)', () => {
  let home: string;
  let emu: LlmEmulator;
  let roster: string;
  const live = (state: string, barMs: string) => [
    'arena',
    'live',
    '--roster',
    roster,
    '--source',
    'synthetic',
    '--seed',
    '11',
    '--bars',
    '12',
    '--warmup',
    '60',
    '--bootstrap',
    '100',
    '--partitions',
    '4',
    '--bar-ms',
    barMs,
    '--quiet',
    '--state',
    state,
  ];

  beforeAll(async () => {
    home = tempHome('arbiter-live-replay-');
    emu = await startOpenAiEmulator({ key: KEY, models: ['gpt-4o-mini'] }, trader);
    roster = join(home, 'roster.json');
    writeFileSync(
      roster,
      JSON.stringify({
        agents: [
          'buy-hold',
          'momentum-20',
          {
            id: 'solo',
            kind: 'llm',
            provider: 'openai-compatible',
            base_url: `${emu.url}/v1`,
            model: 'gpt-4o-mini',
            api_key_env: 'LIVE_REPLAY_KEY',
          },
        ],
      }),
    );
  });

  afterAll(async () => {
    await emu?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('a live run stopped with Ctrl-C and resumed replays byte-identically, with no model called', async () => {
    const state = join(home, 'live');
    // Paced so that it is still running when it is interrupted: stop once some bars' exchanges are on disk.
    const child = spawn(process.execPath, [BIN, ...live(state, '300')], {
      env: { ...process.env, ARBITER_HOME: home, ...ENV },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const journal = join(state, 'llm', 'exchanges.jsonl');
    await eventually(
      'the live run to have recorded two bars',
      async () =>
        existsSync(journal) && readFileSync(journal, 'utf8').trim().split('\n').length >= 2 ? true : undefined,
      60_000,
    );
    child.kill('SIGINT');
    expect(await exited, 'stopped after the bar, to be resumed').toBe(130);
    expect(existsSync(join(state, 'leaderboard.json')), 'not finished yet').toBe(false);
    const resumed = await cliAsync(home, live(state, '0'), ENV);
    expect(resumed.code, resumed.err).toBe(0);
    const recorded = readFileSync(join(state, 'llm', 'exchanges.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(recorded.length, 'one exchange per bar for the one LLM agent, each once').toBe(12);

    await emu.close();
    const calls = emu.requests.length;
    const out = join(home, 'replay');
    const r = await cliAsync(home, ['arena', 'replay', state, '--out', out, '--quiet']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).not.toMatch(/REPLAY_MISMATCH/);
    expect(emu.requests.length, 'no model was called').toBe(calls);
    for (const f of FILES) expect(readFileSync(join(out, f), 'utf8'), f).toBe(readFileSync(join(state, f), 'utf8'));
  }, 180_000);
});
