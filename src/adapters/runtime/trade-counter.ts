import { closeSync, mkdirSync, openSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { flockSync } from 'fs-ext';
import type { OrderLockResult, TradeCounter } from '../../ports/runtime.js';
import { writeFileAtomic } from './files.js';
import type { RuntimeLayout } from './layout.js';

/**
 * Vibe-Trading's daily trade counter (`live/<broker>/trade_counter.json`) and its order-submission lock
 * (`live/<broker>/.order_submit.lock`), shared with Vibe-Trading on one runtime root so both programs keep one count.
 *
 * The lock is Vibe-Trading's protocol: `flock(LOCK_EX | LOCK_NB)` on the lock file, held through the daily-count
 * check, the broker submission and the count's increment (its `daily_order_lock`). Node has no flock, so the
 * `fs-ext` addon makes the call; an fcntl/OFD lock (what `fd-lock` and other packages take) is a different lock on
 * Linux and would not exclude Vibe-Trading. Vibe-Trading fails an order closed when the lock is taken; Arbiter
 * waits for it a little (polling, never blocking the event loop), then fails closed too.
 */

/** `{"date": "YYYY-MM-DD", "count": N, "action_ids": [...]}` as Vibe-Trading writes it (json.dumps defaults). */
export function counterText(day: string, count: number, actionIds: readonly string[]): string {
  return `{"date": ${JSON.stringify(day)}, "count": ${count}, "action_ids": [${actionIds.map((a) => JSON.stringify(a)).join(', ')}]}\n`;
}

/** Python's `int(x)` for what JSON can hold: numbers truncate, booleans are 1/0, integer text parses; else null. */
function pythonInt(v: unknown): number | null {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : null;
  if (typeof v === 'string' && /^\s*[+-]?\d+(?:_\d+)*\s*$/.test(v)) return Number(v.replace(/_/g, ''));
  return null;
}

interface CounterFile {
  readonly date: unknown;
  readonly count: unknown;
  readonly action_ids?: unknown;
}

function readFile(path: string): CounterFile | null {
  try {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as CounterFile) : null;
  } catch {
    return null;
  }
}

/** `read_daily_count`: today's count, 0 when the file is missing, unreadable or of another UTC day. */
export function readTradeCounter(layout: RuntimeLayout, broker: string, day: string): number {
  const raw = readFile(layout.tradeCounter(broker));
  if (raw === null || raw.date !== day) return 0;
  return Math.max(0, pythonInt(raw.count ?? 0) ?? 0);
}

/** Writes today's count, keeping the action ids Vibe-Trading recorded today (its idempotency keys). */
export function writeTradeCounter(layout: RuntimeLayout, broker: string, day: string, count: number): void {
  const path = layout.tradeCounter(broker);
  const raw = readFile(path);
  const ids =
    raw !== null && raw.date === day && Array.isArray(raw.action_ids)
      ? raw.action_ids.filter((a): a is string => typeof a === 'string')
      : [];
  writeFileAtomic(path, counterText(day, count, ids), 0o600);
}

export interface TradeCounterOptions {
  /** How long an order waits for the submission lock before it is refused (ms). */
  readonly lockWaitMs?: number;
  /** How often a taken lock is tried again (ms). */
  readonly lockPollMs?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function isBusy(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'EAGAIN' || code === 'EWOULDBLOCK';
}

/** The counter (read only when the file changed: one stat on the hot path) and the submission lock. */
/**
 * How long an order waits for the submission lock. Orders that arrive together queue on it one at a time (each
 * holds it for decide → send → count), so the wait covers a queue of them on a loaded machine, not one order.
 */
export const ORDER_LOCK_WAIT_MS = 20_000;

export class TradeCounterFiles implements TradeCounter {
  private readonly cache = new Map<string, { stamp: string; day: string; count: number }>();
  /** Orders of this process queue here, one per broker at a time, before they try the file lock. */
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly waitMs: number;
  private readonly pollMs: number;

  constructor(
    private readonly layout: RuntimeLayout,
    options: TradeCounterOptions = {},
  ) {
    this.waitMs = options.lockWaitMs ?? ORDER_LOCK_WAIT_MS;
    this.pollMs = options.lockPollMs ?? 10;
  }

  read(broker: string, day: string): number {
    let stamp: string;
    try {
      // A missing file is the common case: no exception is built for it.
      const st = statSync(this.layout.tradeCounter(broker), { throwIfNoEntry: false });
      if (!st) return 0;
      stamp = `${st.ino}:${st.size}:${st.mtimeMs}`;
    } catch {
      return 0;
    }
    const hit = this.cache.get(broker);
    if (hit && hit.stamp === stamp && hit.day === day) return hit.count;
    const count = readTradeCounter(this.layout, broker, day);
    this.cache.set(broker, { stamp, day, count });
    return count;
  }

  write(broker: string, day: string, count: number): void {
    try {
      writeTradeCounter(this.layout, broker, day, count);
    } catch {
      // The store holds the count in the decision's transaction; a failed file write must not undo the order.
    }
  }

  lockPath(broker: string): string {
    return join(this.layout.brokerDir(broker), '.order_submit.lock');
  }

  async withOrderLock<T>(broker: string, fn: () => Promise<T>): Promise<OrderLockResult<T>> {
    const before = this.queues.get(broker) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = before.then(() => mine);
    this.queues.set(broker, tail);
    await before;
    try {
      const fd = await this.acquire(broker);
      if (fd === null) return { locked: false };
      try {
        return { locked: true, value: await fn() };
      } finally {
        try {
          flockSync(fd, 'un');
        } finally {
          closeSync(fd);
        }
      }
    } finally {
      release();
      if (this.queues.get(broker) === tail) this.queues.delete(broker);
    }
  }

  /** Opens the lock file as Vibe-Trading does (`a+b`) and takes it, polling while another process holds it. */
  private async acquire(broker: string): Promise<number | null> {
    const path = this.lockPath(broker);
    let fd: number;
    try {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      fd = openSync(path, 'a+');
    } catch {
      return null; // fail-closed: no lock file, no order
    }
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      try {
        flockSync(fd, 'exnb');
        return fd;
      } catch (e) {
        if (!isBusy(e) || Date.now() >= deadline) {
          closeSync(fd);
          return null;
        }
      }
      await sleep(this.pollMs);
    }
  }
}

/** For stores that are not a runtime root (the arena's simulations): no file count, and no lock to take. */
export const NO_TRADE_COUNTER: TradeCounter = {
  read: () => 0,
  write: () => {},
  withOrderLock: async (_broker, fn) => ({ locked: true, value: await fn() }),
};
