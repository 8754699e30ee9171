import type { DecisionNote, Observation } from '../../core/arena/types.js';
import {
  DEBATE_SYSTEM,
  decisionPrompt,
  JUDGE_PREAMBLE,
  type Proposal,
  parseDecision,
  personaSystem,
  roleUser,
  type Turn,
  transcriptText,
  vote,
} from '../../core/llm/index.js';
import type { ModelAnswer, ModelProvider } from '../../ports/model.js';
import {
  type AgentTiming,
  type ExchangeRecord,
  LlmAgent,
  type LlmAgentConfig,
  type Outcome,
  type Via,
  WALL_TIMING,
} from './llm-agent.js';

/** A role's model: the agent's own unless the roster gave the role another. */
export interface RoleModel extends Via {
  readonly model: string;
  readonly max_tokens: number;
  readonly temperature?: number;
  readonly seed?: number;
}

export type TeamPlan =
  | {
      readonly style: 'debate';
      /** Bull and bear speak this many times each before the risk manager and the judge. */
      readonly rounds: number;
      readonly bull: RoleModel;
      readonly bear: RoleModel;
      readonly risk: RoleModel;
      readonly judge: RoleModel;
    }
  | {
      readonly style: 'persona';
      readonly personas: readonly { readonly name: string; readonly brief: string; readonly model: RoleModel }[];
      /** `vote`: a plurality of the proposals; `judge`: one more call reads them and decides. */
      readonly decision: 'vote' | 'judge';
      readonly judge: RoleModel;
    };

/**
 * A multi-model agent: a debate (bull and bear researchers for `rounds` rounds, then a risk manager, then the
 * trader/judge who answers the decide-mode JSON) or a persona team (each persona proposes a decision; a vote or a
 * judge decides). Each role may run on its own model. Calls are made one after another, in a fixed order, under the
 * agent's one deadline and one budget; each is recorded with its role, and the whole transcript is the decision's
 * trace (`inputs.transcript`). The final decision goes through the firewall exactly as a decide-mode agent's.
 */
export class LlmTeamAgent extends LlmAgent {
  private transcript: Turn[] = [];

  constructor(
    config: LlmAgentConfig,
    provider: ModelProvider,
    record: (r: ExchangeRecord) => void,
    private readonly plan: TeamPlan,
    timing: AgentTiming = WALL_TIMING,
  ) {
    super(config, provider, record, timing);
  }

  protected override extraInputs(): DecisionNote['inputs'] {
    return { style: this.plan.style, transcript: transcriptText(this.transcript) };
  }

  protected override async think(obs: Observation): Promise<Outcome> {
    this.transcript = [];
    const prompt = decisionPrompt(obs, this.plans);
    const deadline = this.deadline();
    const say = async (m: RoleModel, system: string, ask: string): Promise<ModelAnswer | Outcome> => {
      const request = {
        model: m.model,
        system,
        user: roleUser(prompt.user, this.transcript, ask),
        max_tokens: m.max_tokens,
        ...(m.temperature === undefined ? {} : { temperature: m.temperature }),
        ...(m.seed === undefined ? {} : { seed: m.seed }),
      };
      const got = await this.ask(obs.bar, request, deadline, m);
      if (!('answer' in got)) return got;
      this.transcript.push({ role: m.role ?? 'model', model: m.model, text: got.answer.text });
      return got.answer;
    };
    const failed = (x: ModelAnswer | Outcome): x is Outcome => 'kind' in x;
    const p = this.plan;
    if (p.style === 'debate') {
      for (let r = 1; r <= p.rounds; r++) {
        const round = p.rounds > 1 ? ` (round ${r} of ${p.rounds})` : '';
        const bull = await say(p.bull, DEBATE_SYSTEM.bull, `Make the bull case${round}.`);
        if (failed(bull)) return bull;
        const bear = await say(p.bear, DEBATE_SYSTEM.bear, `Make the bear case${round}.`);
        if (failed(bear)) return bear;
      }
      const risk = await say(p.risk, DEBATE_SYSTEM.risk, 'Give your risk assessment.');
      if (failed(risk)) return risk;
      const verdict = await say(p.judge, `${JUDGE_PREAMBLE}\n\n${prompt.system}`, 'Decide now.');
      if (failed(verdict)) return verdict;
      return this.conclude(obs, verdict);
    }
    const proposals: Proposal[] = [];
    const bounds = { symbols: [obs.spot.symbol, ...(obs.perp ? [obs.perp.symbol] : [])], equity: obs.account.equity };
    for (const persona of p.personas) {
      const a = await say(
        persona.model,
        `${personaSystem(persona.name, persona.brief)}\n\n${prompt.system}`,
        'Your proposal.',
      );
      if (failed(a)) return a;
      const parsed = parseDecision(a.text, bounds);
      // An invalid proposal does not vote; the judge still reads it in the transcript.
      if (parsed.ok) proposals.push({ persona: persona.name, decision: parsed.value });
    }
    if (p.decision === 'judge') {
      const verdict = await say(p.judge, `${JUDGE_PREAMBLE}\n\n${prompt.system}`, 'Decide now.');
      if (failed(verdict)) return verdict;
      return this.conclude(obs, verdict);
    }
    const v = vote(proposals);
    if (v.kind === 'no-majority')
      return { kind: 'none', reason: `no trade: the personas did not agree (${v.reason})`, error: null };
    return this.concludeDecision(obs, v.decision);
  }
}
