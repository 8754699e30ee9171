import { afterEach, describe, expect, it } from 'vitest';
import type { AssembledArena } from '../../src/app/arena/assemble.js';
import { buildFileRoster, type ModelSource } from '../../src/app/arena/llm-roster.js';
import { parseRoster } from '../../src/app/arena/roster-file.js';
import { BuyAndHoldAgent } from '../../src/core/arena/index.js';
import { arena } from '../arena/support/fixtures.js';
import {
  type LlmEmulator,
  type ReceivedRequest,
  startAnthropicEmulator,
  startOpenAiEmulator,
} from '../support/llm-emulators/index.js';
import { answer, barOf, HOLD, KEY, ledgerOf } from './support.js';

const BARS = { bars: 4, warmup: 120 } as const;
const PERP = 'BTC/USDT:USDT';
const ANT_KEY = 'sk-ant-team-test-Xq2v9Lm4Rt7w';

/** The system prompt of a request, for either wire. */
function systemOf(req: ReceivedRequest): string {
  const b = req.body ?? {};
  if (typeof b.system === 'string') return b.system;
  const msgs = (b.messages ?? []) as { role: string; content: string }[];
  return msgs.find((m) => m.role === 'system')?.content ?? '';
}

const buy = (size: number, reason: string) =>
  answer({ action: 'buy', symbol: PERP, size, leverage: 2, confidence: 0.7, reason });

async function run(raw: unknown, source: ModelSource) {
  const roster = buildFileRoster(parseRoster(raw), source);
  const a: AssembledArena = await arena([...roster.entries.map((e) => e.agent), new BuyAndHoldAgent('buy-hold')], BARS);
  try {
    await a.engine.run();
    return { roster, traces: a.engine.traces, verdicts: (await ledgerOf(a)).filter((r) => r.kind === 'verdict') };
  } finally {
    await a.close();
  }
}

describe('debate and persona-team LLM agents', () => {
  const emus: LlmEmulator[] = [];
  afterEach(async () => {
    await Promise.all(emus.splice(0).map((e) => e.close()));
  });

  it('debate: bull and bear for two rounds, risk manager, then a judge on another provider; transcript is the trace; replay identical', async () => {
    const researchers = await startOpenAiEmulator({ key: KEY, models: ['gpt-4o-mini'] }, (req) => {
      const s = systemOf(req);
      if (s.includes('BULL')) return { text: 'bull: trend up, funding calm' };
      if (s.includes('BEAR')) return { text: 'bear: RSI stretched' };
      if (s.includes('RISK MANAGER')) return { text: 'risk: at most 2x, stop 3% below' };
      return { status: 400 };
    });
    const judge = await startAnthropicEmulator({ key: ANT_KEY, models: ['claude-haiku-4-5'] }, (req) =>
      systemOf(req).includes('TRADER') && barOf(req.body) === 1 ? buy(700, 'judge: bull wins on bar one') : HOLD,
    );
    emus.push(researchers, judge);
    const raw = {
      agents: [
        {
          id: 'debaters',
          kind: 'llm',
          style: 'debate',
          rounds: 2,
          provider: 'openai-compatible',
          base_url: `${researchers.url}/v1`,
          model: 'gpt-4o-mini',
          api_key_env: 'TEAM_OPENAI',
          temperature: 0,
          seed: 3,
          roles: {
            judge: {
              provider: 'anthropic',
              base_url: judge.url,
              model: 'claude-haiku-4-5',
              api_key_env: 'TEAM_ANTHROPIC',
            },
          },
        },
      ],
    };
    const live = await run(raw, { kind: 'live', env: { TEAM_OPENAI: KEY, TEAM_ANTHROPIC: ANT_KEY } });
    const mine = live.traces.filter((t) => t.agent === 'debaters');
    const traded = mine.filter((t) => t.verdict_id !== '');
    expect(traded.map((t) => t.intent)).toEqual([{ symbol: PERP, side: 'buy', notional: 700, leverage: 2 }]);
    expect(traded[0]!.decision).toMatch(/^ALLOW/);
    expect(live.verdicts.map((v) => v.ref)).toContain(traded[0]!.verdict_id);
    expect(traded[0]!.reason).toBe('judge: bull wins on bar one');
    // The whole transcript, in order, is the decision's trace.
    const transcript = String(traded[0]!.inputs?.transcript);
    const order = ['[bull · gpt-4o-mini]', '[bear · gpt-4o-mini]', '[bull · gpt-4o-mini]', '[bear · gpt-4o-mini]'];
    let at = -1;
    for (const tag of [...order, '[risk · gpt-4o-mini]', '[judge · claude-haiku-4-5]']) {
      const next = transcript.indexOf(tag, at + 1);
      expect(next, `${tag} after position ${at}`).toBeGreaterThan(at);
      at = next;
    }
    expect(transcript).toContain('judge: bull wins on bar one');
    // Each role's call recorded with its role, on its own provider; the judge read the debate.
    const x = live.roster.exchanges;
    expect(x.filter((e) => e.bar === x[0]!.bar).map((e) => [e.role, e.provider])).toEqual([
      ['bull', 'openai-compatible'],
      ['bear', 'openai-compatible'],
      ['bull', 'openai-compatible'],
      ['bear', 'openai-compatible'],
      ['risk', 'openai-compatible'],
      ['judge', 'anthropic'],
    ]);
    expect(JSON.stringify(judge.requests[0]!.body)).toContain('risk: at most 2x');
    const bar0 = x.filter((e) => e.bar === x[0]!.bar);
    expect(bar0[0]!.request.seed, 'the agent’s seed on its own provider').toBe(3);
    expect(bar0[5]!.request.seed, 'a role on another provider does not inherit the seed').toBeUndefined();
    expect(bar0[5]!.base_url).toBe(judge.url);
    expect(x).toHaveLength(4 * 6);
    // Replay from the recordings with both emulators stopped.
    await Promise.all(emus.splice(0).map((e) => e.close()));
    const again = await run(raw, { kind: 'replay', recordings: x });
    expect(again.roster.replays.flatMap((r) => r.problems)).toEqual([]);
    expect(again.roster.replays.map((r) => r.unused)).toEqual([0]);
    expect(JSON.stringify(again.traces)).toBe(JSON.stringify(live.traces));
  }, 90_000);

  it('persona team by vote: the plurality trades, a tie is no trade with the tally as its reason', async () => {
    const emu = await startOpenAiEmulator({ key: KEY, models: ['gpt-4o-mini'] }, (req) => {
      const s = systemOf(req);
      const bar = barOf(req.body);
      if (s.includes('You are value')) return bar === 1 ? buy(400, 'value: cheap') : HOLD;
      if (s.includes('You are momentum')) return bar === 1 ? buy(900, 'momentum: rising') : buy(300, 'momentum: more');
      if (s.includes('You are contrarian'))
        return bar === 1
          ? HOLD
          : answer({ action: 'sell', symbol: PERP, size: 300, confidence: 0.5, reason: 'contrarian: fade it' });
      return { status: 400 };
    });
    emus.push(emu);
    const raw = {
      agents: [
        {
          id: 'team',
          kind: 'llm',
          style: 'persona',
          provider: 'openai-compatible',
          base_url: `${emu.url}/v1`,
          model: 'gpt-4o-mini',
          api_key_env: 'TEAM_OPENAI',
          personas: [
            { name: 'value', brief: 'a value investor' },
            { name: 'momentum', brief: 'a trend follower' },
            { name: 'contrarian', brief: 'fades every move' },
          ],
        },
      ],
    };
    const live = await run(raw, { kind: 'live', env: { TEAM_OPENAI: KEY } });
    const mine = live.traces.filter((t) => t.agent === 'team');
    const first = mine.find((t) => t.verdict_id !== '')!;
    expect(first.intent, 'the first proposer of the winning option').toEqual({
      symbol: PERP,
      side: 'buy',
      notional: 400,
      leverage: 2,
    });
    expect(first.reason).toBe(`vote 2/3 for buy ${PERP}: value: cheap`);
    const tie = mine.filter((t) => t.verdict_id === '');
    expect(tie.length).toBe(3);
    expect(tie[0]!.reason).toBe(
      `no trade: the personas did not agree (tie: hold (1) vs buy ${PERP} (1) vs sell ${PERP} (1))`,
    );
    expect(String(tie[0]!.inputs?.transcript)).toContain('[persona:contrarian · gpt-4o-mini]');
  }, 90_000);

  it('persona team with a judge: the judge reads every proposal (an invalid one too) and decides', async () => {
    const emu = await startOpenAiEmulator({ key: KEY, models: ['gpt-4o-mini', 'gpt-4o'] }, (req) => {
      const s = systemOf(req);
      if (s.includes('You are scalper')) return buy(250, 'scalper: quick pop');
      if (s.includes('You are sloppy')) return { text: 'not json at all' };
      if (s.includes('TRADER'))
        return req.body?.model === 'gpt-4o' && barOf(req.body) === 1 ? buy(333, 'judge: scalper is right') : HOLD;
      return { status: 400 };
    });
    emus.push(emu);
    const raw = {
      agents: [
        {
          id: 'panel',
          kind: 'llm',
          style: 'persona',
          decision: 'judge',
          provider: 'openai-compatible',
          base_url: `${emu.url}/v1`,
          model: 'gpt-4o-mini',
          api_key_env: 'TEAM_OPENAI',
          personas: [
            { name: 'scalper', brief: 'trades small moves' },
            { name: 'sloppy', brief: 'answers carelessly' },
          ],
          judge: { model: 'gpt-4o' },
        },
      ],
    };
    const live = await run(raw, { kind: 'live', env: { TEAM_OPENAI: KEY } });
    const traded = live.traces.filter((t) => t.agent === 'panel' && t.verdict_id !== '');
    expect(traded.map((t) => t.intent)).toEqual([{ symbol: PERP, side: 'buy', notional: 333, leverage: 2 }]);
    const judged = emu.requests.find((r) => r.body?.model === 'gpt-4o')!;
    expect(JSON.stringify(judged.body)).toContain('not json at all');
    expect(JSON.stringify(judged.body)).toContain('scalper: quick pop');
    expect(live.roster.exchanges.slice(0, 3).map((x) => x.role)).toEqual([
      'persona:scalper',
      'persona:sloppy',
      'judge',
    ]);
  }, 90_000);
});
