import type { Answer, Intent } from './doors.js';

export interface StormOrder {
  readonly agent: string;
  readonly intent: Intent;
}

/** What became of one order: the answer, or why none came (after every retry). */
export interface Sent {
  readonly order: StormOrder;
  readonly answer: Answer | null;
  readonly attempts: number;
  readonly error: string | null;
}

export interface StormOptions {
  readonly orders: readonly StormOrder[];
  /** Orders in flight at once. */
  readonly concurrency: number;
  /**
   * Sends one order (`attempt` counts from 0); throws when no answer came (connection refused or reset). A retry
   * re-sends the same intent with the same client order id, as a client whose server died would.
   */
  readonly send: (order: StormOrder, attempt: number) => Promise<Answer>;
  readonly retries?: number;
  /** Checked before each new order: true stops the storm (orders not yet sent are left out). */
  readonly stop?: () => boolean;
  /** Called as each order is done with (answered or given up). */
  readonly onSent?: (sent: Sent) => void;
}

/** Sends `orders` with `concurrency` callers at once and returns what each got, in the order they were listed. */
export async function storm(opts: StormOptions): Promise<Sent[]> {
  const out: (Sent | undefined)[] = new Array(opts.orders.length);
  let next = 0;
  const caller = async () => {
    while (next < opts.orders.length && !opts.stop?.()) {
      const i = next++;
      const order = opts.orders[i]!;
      let error: string | null = null;
      for (let attempt = 0; attempt <= (opts.retries ?? 0); attempt++) {
        try {
          out[i] = { order, answer: await opts.send(order, attempt), attempts: attempt + 1, error: null };
          break;
        } catch (e) {
          error = e instanceof Error ? e.message : String(e);
        }
      }
      out[i] ??= { order, answer: null, attempts: (opts.retries ?? 0) + 1, error };
      opts.onSent?.(out[i]!);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, caller));
  return out.filter((s): s is Sent => s !== undefined);
}
