import type { Agent, AgentIntent, DecisionNote, Observation, Slot } from '../../core/arena/types.js';
import type { Json } from '../../core/cert/json-safe.js';
import {
  addSpend,
  type BudgetLimits,
  budgetSpent,
  costOf,
  type DaySpend,
  dayOf,
  decisionIntent,
  decisionPrompt,
  type ExitPlan,
  type ModelDecision,
  ModelError,
  type ModelPrice,
  NO_SPEND,
  parseDecision,
  RETRIED,
  type Spend,
  type Usage,
} from '../../core/llm/index.js';
import type { ModelAnswer, ModelExchange, ModelProvider, ModelRequest } from '../../ports/model.js';

/** How an LLM agent calls its model (the roster's fields, validated at the edge). */
export interface LlmAgentConfig {
  readonly id: string;
  readonly provider: string;
  readonly base_url: string;
  readonly model: string;
  readonly temperature?: number;
  readonly max_tokens: number;
  readonly seed?: number;
  /** Wall time one decision may take, retries and backoff included; missed = no trade. */
  readonly deadline_ms: number;
  /** Further attempts after a 429, a 5xx or a dropped connection. */
  readonly retries: number;
  /** First backoff; doubled each retry (a Retry-After from the server wins), never past the deadline. */
  readonly backoff_ms: number;
  readonly budget: BudgetLimits;
  readonly price: ModelPrice | null;
}

/** Which model a call goes to: the agent's own, or (debate, persona) a role's. */
export interface Via {
  readonly provider: ModelProvider;
  readonly kind: string;
  readonly base_url: string;
  readonly price: ModelPrice | null;
  readonly role?: string;
}

/** One model exchange as the run folder keeps it (see the port). */
export type ExchangeRecord = ModelExchange;

/**
 * Time as the agent lives it. Live: a real deadline and real backoff. A replay: the recorded outcomes decide
 * (a recorded timeout is replayed as one), so nothing waits and nothing expires.
 */
export interface AgentTiming {
  deadline(ms: number): AbortSignal;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  now(): number;
}

export const WALL_TIMING: AgentTiming = {
  deadline: (ms) => AbortSignal.timeout(ms),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    }),
  now: () => performance.now(),
};

export type Outcome =
  | { readonly kind: 'trade'; readonly decision: ModelDecision; readonly intent: AgentIntent }
  /** Tool mode: the intent the model submitted through `submit_intent`, and its closing sentence. */
  | { readonly kind: 'submitted'; readonly reason: string; readonly intent: AgentIntent }
  | {
      readonly kind: 'none';
      readonly reason: string;
      readonly error: string | null;
      readonly decision?: ModelDecision;
    };

const timeoutError = (ms: number, sent = true) =>
  new ModelError('timeout', `no answer within the decision deadline of ${ms} ms`, null, null, sent);

/** The model call, bounded by the deadline even if a provider ignored the signal. */
function bounded(p: Promise<ModelAnswer>, signal: AbortSignal, ms: number): Promise<ModelAnswer> {
  if (signal.aborted) return Promise.reject(timeoutError(ms, false));
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(timeoutError(ms));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * An agent that asks a language model once per bar (decide mode): one prompt built from the observation, one
 * structured answer, validated; its intent goes through the arena's firewall like any built-in's. Every failure
 * (deadline, invalid answer, spent budget) is no trade, recorded with its reason.
 */
export class LlmAgent implements Agent {
  private spend: Spend = NO_SPEND;
  /** This UTC day's spend (the day of the bar being decided), for `budget.per_day`. */
  private today: DaySpend | null = null;
  protected plans: Partial<Record<Slot, ExitPlan>> = {};
  private outcome: Outcome | null = null;
  private bar = -1;

  constructor(
    protected readonly c: LlmAgentConfig,
    private readonly provider: ModelProvider,
    private readonly record: (r: ExchangeRecord) => void,
    private readonly timing: AgentTiming = WALL_TIMING,
  ) {}

  get id(): string {
    return this.c.id;
  }

  /** What the model cost this agent so far in the run. */
  get spent(): Spend {
    return this.spend;
  }

  async prepare(obs: Observation): Promise<void> {
    this.bar = obs.bar;
    this.today = dayOf(this.today, obs.ts);
    this.outcome = await this.think(obs);
  }

  decide(obs: Observation): AgentIntent | null {
    const o = this.bar === obs.bar ? this.outcome : null;
    if (o?.kind !== 'trade') return null;
    const d = o.decision;
    const slot: Slot = d.symbol === obs.perp?.symbol ? 'perp' : 'spot';
    if (d.action === 'close') delete this.plans[slot];
    else
      this.plans[slot] = {
        take_profit: d.take_profit ?? null,
        stop_loss: d.stop_loss ?? null,
        invalidation: d.invalidation ?? null,
      };
    return o.intent;
  }

  explain(): DecisionNote | null {
    const o = this.outcome;
    return o?.kind === 'trade' ? { reason: o.decision.reason, inputs: this.inputs(o.decision) } : null;
  }

  skipped(): (DecisionNote & { error: string | null }) | null {
    const o = this.outcome;
    if (o?.kind !== 'none') return null;
    return { reason: o.reason, inputs: this.inputs(o.decision), error: o.error };
  }

  save(): Json {
    return {
      spend: { ...this.spend },
      plans: this.plans as unknown as Json,
      ...(this.today ? { today: { day: this.today.day, spend: { ...this.today.spend } } } : {}),
    };
  }

  restore(state: Json): void {
    const s = state as { spend?: Spend; plans?: Partial<Record<Slot, ExitPlan>>; today?: DaySpend };
    this.spend = s.spend ?? NO_SPEND;
    this.today = s.today ?? null;
    this.plans = s.plans ?? {};
  }

  private spendToday(usage: Usage, usd: number): void {
    if (this.today) this.today = { day: this.today.day, spend: addSpend(this.today.spend, usage, usd) };
  }

  /** More facts for a decision's trace (a debate's transcript). */
  protected extraInputs(): DecisionNote['inputs'] {
    return {};
  }

  private inputs(d: ModelDecision | undefined): DecisionNote['inputs'] {
    return {
      model: this.c.model,
      action: d?.action ?? null,
      confidence: d?.confidence ?? null,
      take_profit: d?.take_profit ?? null,
      stop_loss: d?.stop_loss ?? null,
      invalidation: d?.invalidation ?? null,
      calls: this.spend.calls,
      input_tokens: this.spend.input_tokens,
      output_tokens: this.spend.output_tokens,
      usd: this.spend.usd,
      ...this.extraInputs(),
    };
  }

  /** The request every call of this agent starts from: its model and sampling settings. */
  protected request(system: string, user: string): ModelRequest {
    const c = this.c;
    return {
      model: c.model,
      system,
      user,
      max_tokens: c.max_tokens,
      ...(c.temperature === undefined ? {} : { temperature: c.temperature }),
      ...(c.seed === undefined ? {} : { seed: c.seed }),
    };
  }

  /** A fresh deadline for one decision (every call of the decision shares it). */
  protected deadline(): AbortSignal {
    return this.timing.deadline(this.c.deadline_ms);
  }

  /**
   * One model call with its budget check, retries and backoff, every attempt recorded: the answer, or the
   * no-trade outcome that ended it.
   */
  protected async ask(
    bar: number,
    request: ModelRequest,
    deadline: AbortSignal,
    via: Via = this.own,
  ): Promise<{ readonly answer: ModelAnswer } | Outcome> {
    const c = this.c;
    for (let attempt = 0; ; attempt++) {
      const spent = budgetSpent(c.budget, this.spend, this.today ?? undefined);
      if (spent) return { kind: 'none', reason: 'no trade: the model budget is spent', error: spent };
      const began = this.timing.now();
      try {
        const answer = await bounded(via.provider.complete(request, deadline), deadline, c.deadline_ms);
        const usd = costOf(answer.usage, via.price);
        this.spend = addSpend(this.spend, answer.usage, usd);
        this.spendToday(answer.usage, usd);
        this.log(via, bar, attempt, request, answer, null, usd, began);
        return { answer };
      } catch (e) {
        const err =
          e instanceof ModelError ? e : new ModelError('connection', e instanceof Error ? e.message : String(e));
        const kind = deadline.aborted ? 'timeout' : err.kind;
        const failure = kind === err.kind ? err : timeoutError(c.deadline_ms);
        if (failure.sent) {
          this.spend = addSpend(this.spend, { input_tokens: 0, output_tokens: 0 }, 0);
          this.spendToday({ input_tokens: 0, output_tokens: 0 }, 0);
        }
        this.log(via, bar, attempt, request, null, failure, 0, began);
        if (kind === 'timeout')
          return { kind: 'none', reason: 'no trade: the model missed its deadline', error: failure.message };
        if (!RETRIED.has(kind) || attempt >= c.retries)
          return { kind: 'none', reason: 'no trade: the model call failed', error: failure.message };
        // A deadline that passes during the backoff ends the next attempt before it is sent (and recorded so).
        await this.timing.sleep(err.retryAfterMs ?? c.backoff_ms * 2 ** attempt, deadline);
      }
    }
  }

  protected async think(obs: Observation): Promise<Outcome> {
    const prompt = decisionPrompt(obs, this.plans);
    const got = await this.ask(obs.bar, this.request(prompt.system, prompt.user), this.deadline());
    if (!('answer' in got)) return got;
    return this.conclude(obs, got.answer);
  }

  /** A model's final answer as a decision: parsed, checked, and turned into an intent (or a recorded no trade). */
  protected conclude(obs: Observation, answer: ModelAnswer): Outcome {
    const parsed = parseDecision(answer.text, {
      symbols: [obs.spot.symbol, ...(obs.perp ? [obs.perp.symbol] : [])],
      equity: obs.account.equity,
    });
    if (!parsed.ok) {
      const cut = answer.finish === 'length' ? ' (the answer was cut at max_tokens)' : '';
      return {
        kind: 'none',
        reason: 'no trade: invalid model output',
        error: `LLM_INVALID_OUTPUT: ${parsed.error}${cut}`,
      };
    }
    return this.concludeDecision(obs, parsed.value);
  }

  /** A checked decision as an intent, or a recorded no trade (a hold, nothing to close). */
  protected concludeDecision(obs: Observation, d: ModelDecision): Outcome {
    if (d.action === 'hold') return { kind: 'none', reason: d.reason, error: null, decision: d };
    const intent = decisionIntent(d, obs);
    if (!intent) return { kind: 'none', reason: `no trade: nothing to close in ${d.symbol}`, error: null, decision: d };
    return { kind: 'trade', decision: d, intent };
  }

  private get own(): Via {
    return { provider: this.provider, kind: this.c.provider, base_url: this.c.base_url, price: this.c.price };
  }

  private log(
    via: Via,
    bar: number,
    attempt: number,
    request: ModelRequest,
    response: ModelAnswer | null,
    error: ModelError | null,
    usd: number,
    began: number,
  ): void {
    this.record({
      agent: this.c.id,
      ...(via.role === undefined ? {} : { role: via.role }),
      bar,
      attempt,
      provider: via.kind,
      base_url: via.base_url,
      request,
      response,
      error: error ? { kind: error.kind, status: error.status, message: error.message, sent: error.sent } : null,
      usd,
      latency_ms: Math.round(this.timing.now() - began),
    });
  }
}
