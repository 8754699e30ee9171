import { loadSigner } from '../../adapters/runtime/keys.js';
import { RuntimeLayout } from '../../adapters/runtime/layout.js';
import type { ModelSpend } from '../../core/arena/index.js';
import { sharpe, simpleReturns, totalReturn } from '../../core/stats/index.js';
import { assembleArena } from '../arena/assemble.js';
import { parseArenaOptions, setupFromOptions } from '../arena/options.js';
import { trialInputs } from '../arena/results.js';
import { cast, LIVE_MODELS } from '../arena/run.js';
import { loadSettings } from '../settings.js';
import type { RunSpec, StudyOptions } from './plan.js';

/** Points of each agent's equity curve a study keeps for its fan chart. */
export const FAN_POINTS = 41;

export interface AgentOutcome {
  readonly id: string;
  /** Model prompts behind the agent (1: one prompt template, or a rule-based agent). */
  readonly prompts: number;
  readonly totalReturn: number;
  /** Per-bar Sharpe of the run's returns. */
  readonly sharpe: number;
  /** Per-bar simple returns (for the pooled DSR). */
  readonly returns: Float64Array;
  /** Equity over capital at FAN_POINTS evenly spaced bars. */
  readonly fan: number[];
  /** An LLM agent's model spend over the run (null for a rule-based agent). */
  readonly spend: ModelSpend | null;
}

export interface RunOutcome {
  readonly index: number;
  readonly bars: number;
  readonly timeframeMs: number;
  readonly agents: AgentOutcome[];
}

/** One run of a study, in memory: the same assembly, firewall and scoring inputs as `arena run`. */
export async function runOne(o: StudyOptions, spec: RunSpec): Promise<RunOutcome> {
  const options = parseArenaOptions({
    source: spec.source,
    seed: spec.seed,
    bars: o.bars,
    warmup: o.warmup,
    agents: o.agents,
    agentFile: o.agentFile,
    capital: o.capital,
    ...(o.roster === undefined ? {} : { roster: o.roster }),
    report: false,
    quiet: true,
  });
  const signer = loadSigner(new RuntimeLayout(loadSettings().home));
  const models = LIVE_MODELS(options);
  const { roster, llm } = await cast(options, models);
  const setup = {
    ...setupFromOptions(options, ':memory:', `study-${spec.index}`, false, signer),
    offset: spec.offset,
    ...(llm ? { concurrency: llm.concurrency } : {}),
  };
  const a = await assembleArena(
    setup,
    roster.map((r) => r.agent),
  );
  try {
    const { engine } = a;
    while (!engine.done) await engine.step();
    await engine.finish();
    const inputs = trialInputs(engine, roster);
    const spendOf = new Map(roster.map((r) => [r.id, r.model ? r.model() : null] as const));
    return {
      index: spec.index,
      bars: engine.config.endBar - engine.config.startBar,
      timeframeMs: engine.frame.timeframeMs,
      agents: inputs.map((t) => {
        const returns = simpleReturns(t.equity);
        const last = t.equity.length - 1;
        return {
          id: t.id,
          prompts: 1, // a decide-mode LLM agent has one prompt template; a built-in is one rule
          totalReturn: totalReturn(t.equity),
          sharpe: sharpe(returns),
          returns,
          fan: Array.from(
            { length: FAN_POINTS },
            (_, k) => t.equity[Math.round((k * last) / (FAN_POINTS - 1))]! / o.capital,
          ),
          spend: spendOf.get(t.id) ?? null,
        };
      }),
    };
  } finally {
    await a.close();
  }
}
