import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../../runtime/files.js';

export interface IndexedOrder {
  readonly clientOrderId: string;
  /** The CLOB order id (the signed order's EIP-712 hash), known before the order is sent. */
  readonly orderId: string;
  readonly symbol: string;
  readonly type: 'market' | 'limit';
  readonly ts: number;
}

/**
 * The CLOB has no client order ids: this keeps client order id → order id on disk (written atomically, mode 0600,
 * before each order is sent), so a restarted process still finds its orders and never sends one twice. Bounded:
 * the oldest entries go first.
 */
export class DurableOrderIndex {
  private readonly byClient = new Map<string, IndexedOrder>();
  private readonly byOrder = new Map<string, IndexedOrder>();

  constructor(
    private readonly path: string,
    private readonly capacity = 20_000,
  ) {
    if (!existsSync(path)) return;
    let rows: unknown;
    try {
      rows = JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      rows = null;
    }
    if (!Array.isArray(rows))
      throw new Error(
        `POLYMARKET_ORDER_INDEX_UNREADABLE: ${path} is not the JSON list of client order id → CLOB order id this venue keeps; restore it (orders sent before would otherwise be unknown here) or move it away`,
      );
    for (const r of rows as IndexedOrder[]) this.put(r);
  }

  get(clientOrderId: string): IndexedOrder | undefined {
    return this.byClient.get(clientOrderId);
  }

  byOrderId(orderId: string): IndexedOrder | undefined {
    return this.byOrder.get(orderId);
  }

  /** Newest first. */
  recent(limit: number): IndexedOrder[] {
    return [...this.byClient.values()].reverse().slice(0, limit);
  }

  remember(entry: IndexedOrder): void {
    this.put(entry);
    writeFileAtomic(this.path, JSON.stringify([...this.byClient.values()]), 0o600);
  }

  private put(entry: IndexedOrder): void {
    const old = this.byClient.get(entry.clientOrderId);
    if (old) this.byOrder.delete(old.orderId);
    this.byClient.delete(entry.clientOrderId);
    this.byClient.set(entry.clientOrderId, entry);
    this.byOrder.set(entry.orderId, entry);
    if (this.byClient.size > this.capacity) {
      const first = this.byClient.values().next().value as IndexedOrder;
      this.byClient.delete(first.clientOrderId);
      this.byOrder.delete(first.orderId);
    }
  }
}
