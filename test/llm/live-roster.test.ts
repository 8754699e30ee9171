import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArenaOptions } from '../../src/app/arena/options.js';
import { liveArena } from '../../src/app/arena/run.js';
import { TEST_ISSUER, tempDir } from '../arena/support/fixtures.js';
import { type LlmEmulator, startOpenAiEmulator } from '../support/llm-emulators/index.js';
import { KEY, trader } from './support.js';

describe('arena live --roster', () => {
  let emu: LlmEmulator;
  beforeAll(async () => {
    emu = await startOpenAiEmulator({ key: KEY, models: ['gpt-4o-mini'] }, trader);
    process.env.LIVE_ROSTER_TEST_KEY = KEY;
  });
  afterAll(async () => {
    delete process.env.LIVE_ROSTER_TEST_KEY;
    await emu.close();
  });

  it('keeps every bar’s model exchanges across a stop and a resume, each bar once, and the spend goes on', async () => {
    const dir = tempDir('arbiter-llm-live-');
    const roster = join(dir, 'roster.json');
    writeFileSync(
      roster,
      JSON.stringify({
        agents: [
          'buy-hold',
          {
            id: 'gpt',
            kind: 'llm',
            provider: 'openai-compatible',
            base_url: `${emu.url}/v1`,
            model: 'gpt-4o-mini',
            api_key_env: 'LIVE_ROSTER_TEST_KEY',
          },
        ],
      }),
    );
    const o = parseArenaOptions({
      source: 'synthetic',
      bars: '8',
      warmup: '120',
      roster,
      bootstrap: '50',
      partitions: '2',
      quiet: true,
      report: false,
    });
    const state = join(dir, 'state');
    let steps = 0;
    const stopped = await liveArena(o, state, { barMs: 0, stop: () => ++steps >= 3 }, TEST_ISSUER);
    expect(stopped.finished).toBe(false);
    const partial = readFileSync(join(state, 'llm', 'exchanges.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(partial, 'the 3 finished bars are recorded before the run ends').toHaveLength(3);
    const done = await liveArena(o, state, { barMs: 0 }, TEST_ISSUER);
    expect(done.finished).toBe(true);
    const all = readFileSync(join(state, 'llm', 'exchanges.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { bar: number });
    expect(all.map((x) => x.bar)).toEqual([120, 121, 122, 123, 124, 125, 126, 127]);
    const row = (
      JSON.parse(readFileSync(join(state, 'leaderboard.json'), 'utf8')) as {
        rows: { agent: string; model?: { calls: number } }[];
      }
    ).rows.find((r) => r.agent === 'gpt');
    expect(row?.model?.calls, 'the spend before the stop is kept').toBe(8);
  }, 120_000);
});
