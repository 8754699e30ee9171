import type { Clock } from '../../../ports/clock.js';
import { type Venue, type VenueBalance, VenueError, type VenuePosition } from '../../../ports/venue.js';

export interface ReconcileSnapshot {
  readonly accountId: string;
  readonly balance: VenueBalance;
  readonly positions: readonly VenuePosition[];
  /** When the venue answered, epoch ms. */
  readonly syncedAt: number;
}

export interface ReconcilerOptions {
  /** Poll interval; default 15 s. */
  readonly intervalMs?: number;
  readonly clock?: Clock;
  readonly onSync?: (snapshot: ReconcileSnapshot) => void;
  readonly onError?: (error: VenueError) => void;
}

/**
 * Keeps the venue's view of one account (balance + positions) fresh: on an interval and after each fill. Callers
 * treat a snapshot older than their limit as stale and fail closed (`fresh(maxAgeMs)` answers null then).
 */
export class Reconciler {
  private last: ReconcileSnapshot | null = null;
  private inFlight: Promise<ReconcileSnapshot> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private error: VenueError | null = null;
  private readonly clock: Clock;

  constructor(
    private readonly venue: Venue,
    readonly accountId: string,
    private readonly opts: ReconcilerOptions = {},
  ) {
    this.clock = opts.clock ?? { now: () => Date.now() };
  }

  get lastSyncedAt(): number | null {
    return this.last?.syncedAt ?? null;
  }

  /** The last failure since the last successful sync, if any. */
  get lastError(): VenueError | null {
    return this.error;
  }

  snapshot(): ReconcileSnapshot | null {
    return this.last;
  }

  /** The snapshot if it is at most `maxAgeMs` old, else null. */
  fresh(maxAgeMs: number): ReconcileSnapshot | null {
    const s = this.last;
    return s && this.clock.now() - s.syncedAt <= maxAgeMs ? s : null;
  }

  isStale(maxAgeMs: number): boolean {
    return this.fresh(maxAgeMs) === null;
  }

  /** Reads balance and positions now; concurrent calls share one read. */
  sync(): Promise<ReconcileSnapshot> {
    if (!this.inFlight) {
      this.inFlight = this.read().finally(() => {
        this.inFlight = null;
      });
    }
    return this.inFlight;
  }

  /** Call after each fill: positions and balance changed at the venue. */
  onFill(): Promise<ReconcileSnapshot> {
    return this.sync();
  }

  start(): void {
    if (this.timer) return;
    const tick = () => void this.sync().catch(() => undefined);
    tick();
    this.timer = setInterval(tick, this.opts.intervalMs ?? 15_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async read(): Promise<ReconcileSnapshot> {
    try {
      const [balance, positions] = await Promise.all([
        this.venue.balance(this.accountId),
        this.venue.positions(this.accountId),
      ]);
      const snapshot = { accountId: this.accountId, balance, positions, syncedAt: this.clock.now() };
      this.last = snapshot;
      this.error = null;
      this.opts.onSync?.(snapshot);
      return snapshot;
    } catch (err) {
      const e = err instanceof VenueError ? err : new VenueError('UNKNOWN', 'reconciliation failed');
      this.error = e;
      this.opts.onError?.(e);
      throw e;
    }
  }
}
