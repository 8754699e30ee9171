import type { ArenaParts } from './types.js';

/**
 * Signs the ledger's head every `every` decisions (each decision appends one or two ledger records) and at the
 * end. With checkpoint signing the certificates themselves are unsigned, so these signatures are what binds
 * them. A head that is already signed is not signed again (a bar redone after a crash may ask twice).
 */
export class Checkpointer {
  pending = 0;

  constructor(
    private readonly parts: Pick<ArenaParts, 'deps' | 'ledger'>,
    private readonly every: number,
  ) {}

  async maybe(): Promise<void> {
    if (this.every > 0 && this.pending >= this.every) await this.final();
  }

  async final(): Promise<void> {
    this.pending = 0;
    const { store } = this.parts.deps;
    const head = await store.ledgerHead();
    if (head.count === 0) return;
    const last = (await store.checkpoints()).at(-1);
    if (last && last.count === head.count && last.head_hash === head.head_hash) return;
    await this.parts.ledger.checkpoint();
  }
}
