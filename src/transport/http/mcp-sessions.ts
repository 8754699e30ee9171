/** What the registry needs of a live session. */
export interface SessionHandle {
  readonly agentId: string;
  /** Ends the session: its transport and MCP server are closed and dropped (the registry forgets it first). */
  close(): Promise<void>;
}

interface Entry<S extends SessionHandle> {
  readonly session: S;
  lastActive: number;
  /** POST requests being answered; a session with one in flight is never closed for idleness or room. */
  inFlight: number;
}

export interface SessionLimits {
  /** A session with no request for this long is closed. */
  readonly idleMs: number;
  /** Sessions one agent may hold at once. */
  readonly perAgent: number;
}

export type Admission = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * The MCP-over-HTTP sessions of one server, with their limits: each agent holds at most `perAgent` sessions (a new
 * one beyond that closes the agent's least recently used session that is not answering a request, or is refused
 * when every one is busy), and a session idle for `idleMs` is closed, so its transport, MCP server and buffers are
 * freed. A closed session's id answers 404 afterwards; an MCP client then starts a new session.
 */
export class McpSessions<S extends SessionHandle> {
  private readonly byId = new Map<string, Entry<S>>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly limits: SessionLimits,
    private readonly now: () => number = Date.now,
  ) {
    // Swept often enough that a session lives at most ~1.25 × idleMs.
    this.timer = setInterval(() => this.sweep(), Math.min(30_000, Math.max(100, Math.floor(limits.idleMs / 4))));
    this.timer.unref();
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: string): S | undefined {
    return this.byId.get(id)?.session;
  }

  /** Makes room for a new session of `agentId`: closes its least recently used idle session if it is at its limit. */
  admit(agentId: string): Admission {
    const mine = [...this.byId.entries()].filter(([, e]) => e.session.agentId === agentId);
    if (mine.length < this.limits.perAgent) return { ok: true };
    const idle = mine.filter(([, e]) => e.inFlight === 0).sort((a, b) => a[1].lastActive - b[1].lastActive);
    const excess = mine.length - this.limits.perAgent + 1;
    if (idle.length < excess)
      return {
        ok: false,
        reason: `TOO_MANY_SESSIONS: agent=${agentId} open=${mine.length} max=${this.limits.perAgent} (every one is answering a request; close one or retry)`,
      };
    for (const [id] of idle.slice(0, excess)) this.drop(id);
    return { ok: true };
  }

  add(id: string, session: S): void {
    this.byId.set(id, { session, lastActive: this.now(), inFlight: 0 });
  }

  /** Marks a request on a session as started; call `done` when it is answered. */
  begin(id: string): () => void {
    const e = this.byId.get(id);
    if (!e) return () => {};
    e.inFlight += 1;
    e.lastActive = this.now();
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      e.inFlight -= 1;
      e.lastActive = this.now();
    };
  }

  /** A request that does not hold the session busy (the GET stream) still counts as activity. */
  touch(id: string): void {
    const e = this.byId.get(id);
    if (e) e.lastActive = this.now();
  }

  /** Forgets a session its transport has closed (DELETE, or the transport's own close). */
  forget(id: string): void {
    this.byId.delete(id);
  }

  /** Closes the sessions idle for `idleMs` or more. Returns how many. */
  sweep(): number {
    const cutoff = this.now() - this.limits.idleMs;
    let n = 0;
    for (const [id, e] of this.byId) {
      if (e.inFlight === 0 && e.lastActive <= cutoff) {
        this.drop(id);
        n += 1;
      }
    }
    return n;
  }

  async closeAll(): Promise<void> {
    clearInterval(this.timer);
    const all = [...this.byId.values()];
    this.byId.clear();
    for (const e of all) await e.session.close().catch(() => undefined);
  }

  private drop(id: string): void {
    const e = this.byId.get(id);
    if (!e) return;
    this.byId.delete(id);
    void e.session.close().catch(() => undefined);
  }
}
