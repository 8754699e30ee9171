import { ArenaError, assertAgentId } from '../../core/arena/errors.js';
import type { Agent } from '../../core/arena/types.js';
import type { ArenaEngine } from './engine.js';
import { ExternalAgent } from './external-agent.js';
import { type ObservationSnapshot, snapshotOf } from './snapshot.js';
import type { BarRecord, TraceRecord } from './types.js';

export interface ArenaServiceOptions {
  /** How long each round waits for the joined external agents (wall ms) before deciding without them. */
  readonly deadlineMs: number;
  /** Closed bars in an observation snapshot (default 100). */
  readonly window?: number;
  /** Runs before each bar opens, under the arena's lock (the server mirrors its kill switch into the arena here). */
  readonly beforeBar?: (engine: ArenaEngine) => Promise<void>;
  /**
   * A live venue feed: resolves once bar `bar` has closed at the venue (the next round opens then), rejects when
   * `signal` aborts. Waited for outside the arena's lock.
   */
  readonly waitForBar?: (bar: number, signal?: AbortSignal) => Promise<void>;
}

/** What a submission got: refused at once, or (after the round closed) the verdict it received. */
export type SubmitReceipt =
  | { readonly accepted: false; readonly bar: number; readonly reason: string }
  | { readonly accepted: true; readonly bar: number; readonly trace: TraceRecord | null };

interface Round {
  readonly bar: number;
  closed: boolean;
  readonly waiting: Map<string, (trace: TraceRecord | null) => void>;
  allIn: () => void;
}

/**
 * External agents in the arena (the MCP tools join_arena / get_observation / submit_intent call this). Agents
 * join before the run starts and trade on the same terms as the built-ins; each round opens a bar, waits for
 * every joined agent to submit or for the deadline (a miss is no trade), then decides the bar for everyone.
 */
export class ArenaService {
  private readonly joined = new Map<string, ExternalAgent>();
  private engine: ArenaEngine | null = null;
  private round: Round | null = null;
  private roundWaiters: ((bar: number) => void)[] = [];
  private lock: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly makeEngine: (external: readonly Agent[]) => ArenaEngine | Promise<ArenaEngine>,
    private readonly opts: ArenaServiceOptions,
  ) {}

  join(agentId: string): { readonly agentId: string; readonly accountId: string } {
    if (this.engine) throw new ArenaError('ARENA_STARTED', 'the run has started: join before it starts', { agentId });
    assertAgentId(agentId);
    if (this.joined.has(agentId)) throw new ArenaError('ARENA_DUPLICATE_AGENT', `${agentId} has already joined`);
    this.joined.set(agentId, new ExternalAgent(agentId));
    return { agentId, accountId: `arena:${agentId}` };
  }

  async start(): Promise<ArenaEngine> {
    if (!this.engine) {
      this.engine = await this.makeEngine([...this.joined.values()]);
      await this.engine.resume();
    }
    return this.engine;
  }

  /** The engine once the run has started (null before). */
  get started(): ArenaEngine | null {
    return this.engine;
  }

  /**
   * Runs `fn` when no bar is being opened or decided (the wait for external agents is not held), so a change of
   * the arena's state (the kill switch) never lands in the middle of a decision.
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  /** The open round's observation for a joined agent. */
  observation(agentId: string): ObservationSnapshot {
    const { engine, index } = this.member(agentId);
    if (!this.round) throw new ArenaError('ARENA_FINISHED', 'no round is open');
    return snapshotOf(engine.observation(index), this.opts.window ?? 100);
  }

  /** One intent (or null: pass) for the open bar; resolves once the bar is decided. */
  submit(agentId: string, intent: unknown): Promise<SubmitReceipt> {
    const agent = this.joined.get(agentId);
    const r = this.round;
    if (!agent) return Promise.resolve({ accepted: false, bar: -1, reason: 'ARENA_NOT_JOINED' });
    if (!r || r.closed) return Promise.resolve({ accepted: false, bar: r?.bar ?? -1, reason: 'ROUND_CLOSED' });
    if (agent.submittedBar === r.bar)
      return Promise.resolve({ accepted: false, bar: r.bar, reason: 'ALREADY_SUBMITTED' });
    agent.pending = intent;
    agent.submittedBar = r.bar;
    const receipt = new Promise<SubmitReceipt>((resolve) =>
      r.waiting.set(agentId, (trace) => resolve({ accepted: true, bar: r.bar, trace })),
    );
    if (r.waiting.size === this.joined.size) r.allIn();
    return receipt;
  }

  /** Resolves with the bar of the open round (at once if one is open and taking submissions). */
  nextRound(): Promise<number> {
    const r = this.round;
    if (r && !r.closed) return Promise.resolve(r.bar);
    return new Promise((resolve) => this.roundWaiters.push(resolve));
  }

  /** Bars each external agent let pass without submitting. */
  misses(): Record<string, number> {
    return Object.fromEntries([...this.joined].map(([id, a]) => [id, a.missed]));
  }

  /**
   * Opens the next bar (on a live feed, once it has closed at the venue), waits for the external agents (or the
   * deadline) and decides it. Null when done; rejects when `signal` aborts the wait for the venue.
   */
  async step(signal?: AbortSignal): Promise<BarRecord | null> {
    const engine = await this.start();
    if (engine.done) return null;
    await this.opts.waitForBar?.(engine.bar, signal);
    await this.exclusive(async () => {
      await this.opts.beforeBar?.(engine);
      await engine.begin();
    });
    const r: Round = { bar: engine.bar, closed: false, waiting: new Map(), allIn: () => {} };
    this.round = r;
    const waiters = this.roundWaiters;
    this.roundWaiters = [];
    for (const w of waiters) w(r.bar);
    if (this.joined.size > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.opts.deadlineMs);
        r.allIn = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    r.closed = true;
    const rec = await this.exclusive(() => engine.decide());
    this.round = null;
    for (const [id, settle] of r.waiting) settle(rec.traces.find((t) => t.agent === id) ?? null);
    return rec;
  }

  /** Runs every remaining round and marks the end. */
  async run(): Promise<ArenaEngine> {
    const engine = await this.start();
    while (await this.step()) {}
    await engine.finish();
    return engine;
  }

  private member(agentId: string): { engine: ArenaEngine; index: number } {
    const engine = this.engine;
    const index = engine ? engine.agentIds.indexOf(agentId) : -1;
    if (!engine || index < 0 || !this.joined.has(agentId))
      throw new ArenaError('ARENA_NOT_JOINED', `${agentId} has not joined this arena`);
    return { engine, index };
  }
}
