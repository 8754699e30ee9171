/**
 * Shares one chain walk between the callers of GET /v1/ledger/verify: callers that arrive while a walk for the same
 * ledger head is running wait for it, and for `ttlMs` afterwards the result for an unchanged head is reused. A new
 * record changes the head and so starts a new walk; the TTL bounds how long an edit in the middle of an unchanged
 * chain could go unnoticed by this endpoint.
 */
export class VerifyCache<R> {
  private last: { key: string; at: number; result: Promise<R> } | null = null;

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The result for `key` and whether it came from another caller's walk. */
  async get(key: string, walk: () => Promise<R>): Promise<{ result: R; cached: boolean }> {
    const last = this.last;
    if (last && last.key === key && this.now() - last.at < this.ttlMs)
      return { result: await last.result, cached: true };
    const entry = { key, at: this.now(), result: walk() };
    this.last = entry;
    try {
      const result = await entry.result;
      // The TTL counts from when the walk finished, so a slow walk is still shared afterwards.
      entry.at = this.now();
      return { result, cached: false };
    } catch (e) {
      if (this.last === entry) this.last = null;
      throw e;
    }
  }
}
