import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { flockSync } from 'fs-ext';
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
 * before each order is sent), so a restarted process still finds its orders and never sends one twice. The file
 * is the truth: it is read again whenever it changed on disk, before a lookup and before each change, so processes
 * sharing a home (a server and the CLI) see each other's orders. Each change is read, made and written under an
 * exclusive flock of `<file>.lock`, so changes from processes at the same instant are all kept (tested with six
 * processes). Bounded: the oldest entries go first.
 */
export class DurableOrderIndex {
  private readonly byClient = new Map<string, IndexedOrder>();
  private readonly byOrder = new Map<string, IndexedOrder>();
  private seen = '';

  constructor(
    private readonly path: string,
    private readonly capacity = 20_000,
  ) {
    this.refresh();
  }

  get(clientOrderId: string): IndexedOrder | undefined {
    this.refresh();
    return this.byClient.get(clientOrderId);
  }

  byOrderId(orderId: string): IndexedOrder | undefined {
    this.refresh();
    return this.byOrder.get(orderId);
  }

  /** Newest first. */
  recent(limit: number): IndexedOrder[] {
    this.refresh();
    return [...this.byClient.values()].reverse().slice(0, limit);
  }

  remember(entry: IndexedOrder): void {
    this.locked(() => {
      this.refresh();
      this.put(entry);
      this.write();
    });
  }

  /** Puts back what a client order id mapped to before (an amended order's earlier id), or forgets it. */
  restore(clientOrderId: string, previous: IndexedOrder | undefined): void {
    this.locked(() => {
      this.refresh();
      const current = this.byClient.get(clientOrderId);
      if (current) this.byOrder.delete(current.orderId);
      this.byClient.delete(clientOrderId);
      if (previous) this.put(previous);
      this.write();
    });
  }

  /**
   * A change under the index's file lock: held only for reading and writing the file (no venue call inside), so a
   * blocking flock waits a few milliseconds at most.
   */
  private locked(change: () => void): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const fd = openSync(`${this.path}.lock`, 'a', 0o600);
    try {
      flockSync(fd, 'ex');
      try {
        change();
      } finally {
        flockSync(fd, 'un');
      }
    } finally {
      closeSync(fd);
    }
  }

  private write(): void {
    writeFileAtomic(this.path, JSON.stringify([...this.byClient.values()]), 0o600);
    this.seen = this.stamp();
  }

  /** Size, modification time and inode: a rename by another process changes at least the inode. */
  private stamp(): string {
    if (!existsSync(this.path)) return '';
    const s = statSync(this.path);
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  }

  private refresh(): void {
    const stamp = this.stamp();
    if (stamp === this.seen) return;
    let rows: unknown = [];
    if (stamp !== '') {
      try {
        rows = JSON.parse(readFileSync(this.path, 'utf8'));
      } catch {
        rows = null;
      }
    }
    if (!Array.isArray(rows))
      throw new Error(
        `POLYMARKET_ORDER_INDEX_UNREADABLE: ${this.path} is not the JSON list of client order id → CLOB order id this venue keeps; restore it (orders sent before would otherwise be unknown here) or move it away`,
      );
    this.byClient.clear();
    this.byOrder.clear();
    for (const r of rows as IndexedOrder[]) this.put(r);
    this.seen = stamp;
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
