import { ArenaError, assertAgentId } from '../../core/arena/errors.js';
import {
  accountView,
  type MarketFrame,
  marketViews,
  observationFor,
  ReplayCursor,
} from '../../core/arena/observation.js';
import { Portfolio } from '../../core/arena/portfolio.js';
import type { Agent, AgentIntent, Observation } from '../../core/arena/types.js';
import type { Session } from '../firewall-service.js';
import { AccountBooks } from './books.js';
import { Checkpointer } from './checkpointer.js';
import { type ArenaHaltOutcome, ArenaKillSwitch, type HaltRow } from './kill-switch.js';
import { ArenaStateStore, captureState, restoreState } from './persistence.js';
import { settleLimited } from './pool.js';
import { outcomeFields, traceOf } from './records.js';
import { Submitter } from './submit.js';
import type { ArenaConfig, ArenaParts, BarRecord, TraceRecord, TradeRecord } from './types.js';

/**
 * N agents on one market, equal capital, bar by bar. Each bar: move the stepped clock to the bar's open, book
 * what the venue did meanwhile, mark every agent, then let each agent decide on what it may see (closed bars and
 * the current quote); every intent goes through FirewallService.vet like any other door's.
 */
export class ArenaEngine {
  readonly cursor = new ReplayCursor();
  readonly portfolio: Portfolio;
  readonly books: AccountBooks;
  readonly agentIds: readonly string[];
  /** Per agent: equity before the first bar, at each later bar's open, and at the last bar's close. */
  readonly equity: Float64Array[];
  readonly trades: TradeRecord[] = [];
  readonly traces: TraceRecord[] = [];
  private readonly submitter: Submitter;
  private readonly checkpointer: Checkpointer;
  private readonly stateStore: ArenaStateStore;
  private readonly observations: Observation[];
  private readonly sessions: Session[];
  private readonly killSwitch: ArenaKillSwitch;
  /** The last bar decided (what a halt between two bars books its cancels and closes into). */
  private last: BarRecord | null = null;
  private nextBar: number;
  /** The last bar `decide` started on (a second start on the same bar, after a failure, may meet its own verdicts). */
  private attempted = -1;
  private open: BarRecord | null = null;
  private resumed: boolean | null = null;
  private closed = false;

  constructor(
    private readonly parts: ArenaParts,
    private readonly agents: readonly Agent[],
    readonly config: ArenaConfig,
  ) {
    const { frame } = parts.market;
    const { startBar, endBar, capital } = config;
    if (!(Number.isInteger(startBar) && startBar >= 0 && endBar > startBar && endBar <= frame.length))
      throw new ArenaError('ARENA_CONFIG_INVALID', `bars [${startBar}, ${endBar}) outside 0..${frame.length}`);
    if (!(capital > 0)) throw new ArenaError('ARENA_CONFIG_INVALID', `capital must be > 0, got ${capital}`);
    this.agentIds = agents.map((a) => a.id);
    this.agentIds.forEach(assertAgentId);
    const dup = this.agentIds.find((id, i) => this.agentIds.indexOf(id) !== i);
    if (dup) throw new ArenaError('ARENA_DUPLICATE_AGENT', `agent id ${dup} appears twice`, { id: dup });
    const accounts = this.agentIds.map((id) => `arena:${id}`);
    this.portfolio = new Portfolio(accounts, { spot: frame.spot.symbol, perp: frame.perp?.symbol ?? null }, capital);
    this.books = new AccountBooks(this.portfolio, parts.venue, this.agentIds);
    this.submitter = new Submitter(parts);
    this.checkpointer = new Checkpointer(parts, config.checkpointEvery);
    this.stateStore = new ArenaStateStore(parts.deps.store, config.runId);
    this.cursor.startBar = startBar;
    this.cursor.endBar = endBar;
    this.cursor.bar = startBar;
    const market = marketViews(frame, this.cursor);
    this.observations = this.agentIds.map((id, a) =>
      observationFor(frame, this.cursor, market, accountView(this.portfolio, a, id, accounts[a]!, this.cursor)),
    );
    this.sessions = this.agentIds.map((id, a) => ({
      agentId: id,
      accountId: accounts[a]!,
      venue: parts.venueName,
      sessionId: `arena:${config.runId}`,
    }));
    this.equity = this.agentIds.map(() => new Float64Array(endBar - startBar + 1).fill(capital));
    this.nextBar = startBar;
    this.killSwitch = new ArenaKillSwitch(
      parts,
      this.agentIds,
      this.sessions,
      this.portfolio,
      this.books,
      this.submitter,
      () => {
        this.checkpointer.pending += 1;
      },
    );
  }

  get frame(): MarketFrame {
    return this.parts.market.frame;
  }

  /** The run reached its end and its last point (the final close) is marked. */
  get finished(): boolean {
    return this.closed;
  }

  get done(): boolean {
    return this.nextBar >= this.config.endBar;
  }

  /** The bar being run (after `begin`) or to run next. */
  get bar(): number {
    return this.nextBar;
  }

  observation(a: number): Observation {
    return this.observations[a]!;
  }

  /** Picks a persisted run up where it stopped (once). Returns false when there is nothing to resume. */
  async resume(): Promise<boolean> {
    if (this.resumed !== null) return this.resumed;
    this.resumed = false;
    if (!this.config.persist || this.open || this.nextBar !== this.config.startBar) return false;
    const state = await this.stateStore.load();
    if (!state) return false;
    this.resumed = true;
    if (state.agents.join('\n') !== this.agentIds.join('\n'))
      throw new ArenaError('ARENA_STATE_MISMATCH', 'the persisted run has a different roster', { saved: state.agents });
    this.checkpointer.pending = restoreState(state, this.agents, this.portfolio, this.books);
    for (const b of await this.stateStore.bars()) this.absorb(b);
    this.nextBar = state.next;
    return true;
  }

  /** Makes the arena's store carry the installation's halts that reach it (see ArenaKillSwitch). */
  mirrorHalts(inForce: readonly HaltRow[]): Promise<void> {
    return this.killSwitch.mirror(inForce);
  }

  /**
   * Applies the halts in force now: resting orders of newly halted agents are cancelled and, under the mandate's
   * `flatten_on_halt`, positions closed. Between bars it acts at the last bar's time (before the venue works the
   * next bar, so a resting order cannot fill after the halt); inside an open bar, at that bar's time.
   */
  async enforceHalts(): Promise<ArenaHaltOutcome> {
    const open = this.open;
    const into = open ?? this.last ?? { bar: this.nextBar - 1, equity: [], trades: [], traces: [] };
    const trades = into.trades as TradeRecord[];
    const traces = into.traces as TraceRecord[];
    const before = { trades: trades.length, traces: traces.length };
    if (!open && this.nextBar > this.config.startBar)
      this.parts.clock.set(this.parts.market.clockTimeOfBar(this.nextBar - 1));
    const out = await this.killSwitch.enforce(into.bar, this.cursor.marks, { trades, traces });
    const changed = trades.length > before.trades || traces.length > before.traces || out.cancelled > 0;
    if (!open && changed) {
      // The bar is already folded in (and saved): what the switch did is added to it (and saved again).
      for (const t of trades.slice(before.trades)) this.trades.push(t);
      for (const t of traces.slice(before.traces)) this.traces.push(t);
      if (this.config.persist && this.last === into) await this.saveState(into);
    }
    if (changed)
      this.parts.deps.events.publish({ type: 'leaderboard', data: { run_id: this.config.runId, bar: into.bar } });
    return out;
  }

  private async saveState(rec: BarRecord): Promise<void> {
    await this.stateStore.save(
      rec,
      captureState(this.config.runId, this.nextBar, this.agents, this.portfolio, this.books, this.checkpointer.pending),
      this.parts.clock.now(),
    );
  }

  /** Opens the next bar: clock, quotes, what the venue did since the last bar, and every agent's mark. */
  async begin(): Promise<void> {
    const { clock, market } = this.parts;
    const i = this.nextBar;
    if (this.done) throw new ArenaError('ARENA_FINISHED', `the run ended at bar ${this.config.endBar}`);
    // A halt that arrived since the last bar (a HALT file, another instance) acts before the venue works this bar.
    if (i > this.config.startBar) await this.enforceHalts();
    const { frame } = market;
    const now = market.clockTimeOfBar(i);
    clock.set(now);
    const c = this.cursor;
    c.bar = i;
    c.marks.spot = frame.spot.open[i]!;
    c.marks.perp = frame.perp ? frame.perp.open[i]! : Number.NaN;
    for (const slot of ['spot', 'perp'] as const) {
      const s = frame[slot];
      const q = s ? await market.quote(s.symbol) : null;
      c.quotes[slot].bid = q?.bid ?? Number.NaN;
      c.quotes[slot].ask = q?.ask ?? Number.NaN;
    }
    this.books.newBar(i > 0 ? market.clockTimeOfBar(i - 1) : Number.NEGATIVE_INFINITY);
    const trades: TradeRecord[] = [];
    for (let a = 0; a < this.agents.length; a++) {
      if (this.books.mustVisit(a, i, frame, this.parts.maintenanceMarginRate)) await this.books.sync(a, i, trades, now);
    }
    const equity: number[] = [];
    if (i > this.config.startBar) {
      for (let a = 0; a < this.agents.length; a++) equity.push(this.portfolio.equity(a, c.marks.spot, c.marks.perp));
    }
    this.open = { bar: i, equity, trades, traces: [] };
  }

  /** Lets every agent decide at the open bar, sends the intents, books the fills, persists, moves on. */
  async decide(): Promise<BarRecord> {
    const rec = this.open;
    if (!rec || rec.bar !== this.nextBar) throw new ArenaError('ARENA_CONFIG_INVALID', 'decide() before begin()');
    const trades = rec.trades as TradeRecord[];
    const traces = rec.traces as TraceRecord[];
    const again = this.attempted === rec.bar;
    this.attempted = rec.bar;
    const prepared = await this.prepare();
    for (let a = 0; a < this.agents.length; a++) {
      const agent = this.agents[a]!;
      let intent: AgentIntent | null;
      try {
        const failed = prepared[a];
        if (failed?.status === 'rejected') throw failed.reason;
        intent = agent.decide(this.observations[a]!);
      } catch (e) {
        const reason = `AGENT_ERROR: ${(e as Error)?.message ?? String(e)}`;
        traces.push(traceOf(this.agentIds[a]!, this.nextBar, this.parts.clock.now(), null, { reason }));
        continue;
      }
      if (intent === null || intent === undefined) {
        const why = agent.skipped?.();
        if (why)
          traces.push(
            traceOf(this.agentIds[a]!, this.nextBar, this.parts.clock.now(), null, {
              reason: why.reason,
              inputs: why.inputs,
              error: why.error,
            }),
          );
        continue;
      }
      await this.act(a, agent, intent, trades, traces, again);
    }
    await this.checkpointer.maybe();
    this.open = null;
    this.last = rec;
    this.nextBar = rec.bar + 1;
    this.absorb(rec);
    this.parts.deps.events.publish({ type: 'leaderboard', data: { run_id: this.config.runId, bar: rec.bar } });
    if (this.config.persist) await this.saveState(rec);
    return rec;
  }

  /** Every agent's `prepare` for this bar, concurrently up to the configured limit; each result in its slot. */
  private async prepare(): Promise<(PromiseSettledResult<void> | undefined)[]> {
    const slots: (PromiseSettledResult<void> | undefined)[] = this.agents.map(() => undefined);
    const which = this.agents.flatMap((agent, a) => (agent.prepare ? [a] : []));
    if (which.length === 0) return slots;
    const done = await settleLimited(
      which.map((a) => () => this.agents[a]!.prepare!(this.observations[a]!)),
      this.config.concurrency ?? 8,
    );
    which.forEach((a, k) => {
      slots[a] = done[k];
    });
    return slots;
  }

  async step(): Promise<BarRecord> {
    await this.begin();
    return this.decide();
  }

  /** Runs (or resumes) to the end. `onBar` sees every finished bar; returning false stops after it. */
  async run(onBar?: (bar: BarRecord) => boolean | undefined): Promise<void> {
    await this.resume();
    while (!this.done) {
      const rec = await this.step();
      if (onBar?.(rec) === false) return;
    }
    await this.finish();
  }

  /** Marks the last point (the final bar's close) and signs the ledger's head. */
  async finish(): Promise<void> {
    const { frame } = this.parts.market;
    const last = this.config.endBar - 1;
    const t = this.config.endBar - this.config.startBar;
    for (let a = 0; a < this.agents.length; a++) {
      this.equity[a]![t] = this.portfolio.equity(a, frame.spot.close[last]!, frame.perp?.close[last] ?? Number.NaN);
    }
    await this.checkpointer.final();
    this.closed = true;
  }

  private async act(
    a: number,
    agent: Agent,
    intent: AgentIntent,
    trades: TradeRecord[],
    traces: TraceRecord[],
    again: boolean,
  ) {
    const note = agent.explain?.() ?? null;
    const out = await this.submitter.submit(
      this.sessions[a]!,
      `${this.agentIds[a]}.${this.nextBar}`,
      intent,
      this.books.storeView(a, this.cursor.marks),
      again,
    );
    if (out.order || out.error) await this.books.sync(a, this.nextBar, trades);
    this.checkpointer.pending += 1;
    traces.push(
      traceOf(this.agentIds[a]!, this.nextBar, this.parts.clock.now(), intent, {
        reason: note?.reason ?? null,
        inputs: note?.inputs ?? null,
        ...outcomeFields(out),
      }),
    );
  }

  /** Folds a finished bar into the run's curves and logs. */
  private absorb(rec: BarRecord): void {
    const k = rec.bar - this.config.startBar;
    rec.equity.forEach((e, a) => {
      this.equity[a]![k] = e;
    });
    for (const t of rec.trades) this.trades.push(t);
    for (const t of rec.traces) this.traces.push(t);
  }
}
