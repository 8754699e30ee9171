import type { ServerResponse } from 'node:http';
import { redactedJson } from '../../../core/audit/redact.js';
import type { ArbiterEvent, EventBus } from '../../../ports/runtime.js';

interface Stamped {
  readonly id: number;
  readonly type: ArbiterEvent['type'];
  readonly frame: string;
  /** The agent the event belongs to, or null for what every principal may see (global halts, the arena). */
  readonly owner: string | null;
}

/** Who is reading: the admin sees every event, an agent only its own and the public ones. */
export type Viewer = { readonly admin: true } | { readonly agentId: string };

interface Client {
  readonly res: ServerResponse;
  readonly types: ReadonlySet<string> | null;
  readonly viewer: Viewer;
}

/** The agent an event is about: verdicts, orders, fills and approvals carry agent_id; an agent-scoped halt names it. */
export function ownerOf(e: ArbiterEvent): string | null {
  const d = e.data;
  if (e.type === 'halt') {
    const scope = String(d.scope ?? '');
    return scope.startsWith('agent:') ? scope.slice('agent:'.length) : null;
  }
  if (e.type === 'leaderboard') return null;
  // An event that should name its agent and does not is shown to the admin only.
  return typeof d.agent_id === 'string' ? d.agent_id : '\u0000unowned';
}

function sees(v: Viewer, s: Stamped): boolean {
  return 'admin' in v || s.owner === null || s.owner === v.agentId;
}

export interface StreamOptions {
  /** Events kept for reconnects (Last-Event-ID) and the `backlog` parameter. */
  readonly keep?: number;
  readonly maxClients?: number;
  readonly heartbeatMs?: number;
  /** A client that has this many bytes unsent is too slow: it is disconnected and reconnects from its last id. */
  readonly maxBufferedBytes?: number;
  /** Open streams one agent may hold (the admin is bounded by maxClients only). */
  readonly maxPerAgent?: number;
}

/**
 * Server-sent events from the EventBus. Every event gets an increasing id; a reconnecting browser sends the last
 * one it saw (Last-Event-ID) and gets what it missed, as far as the ring buffer reaches. Each event is serialised
 * once (with anything credential-shaped masked), whatever the number of clients, and goes only to the viewers
 * allowed to see it: the admin, or the agent it belongs to.
 */
export class StreamHub {
  private readonly ring: Stamped[] = [];
  private readonly clients = new Set<Client>();
  private nextId = 1;
  private readonly keep: number;
  private readonly maxClients: number;
  private readonly maxBuffered: number;
  private readonly maxPerAgent: number;
  private readonly timer: NodeJS.Timeout;
  private readonly unsubscribe: () => void;

  constructor(events: EventBus, opts: StreamOptions = {}) {
    this.keep = opts.keep ?? 500;
    this.maxClients = opts.maxClients ?? 100;
    this.maxBuffered = opts.maxBufferedBytes ?? 1_048_576;
    this.maxPerAgent = opts.maxPerAgent ?? 4;
    this.unsubscribe = events.subscribe((e) => this.publish(e));
    this.timer = setInterval(() => this.broadcast(': ping\n\n', null), opts.heartbeatMs ?? 15_000);
    this.timer.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  get full(): boolean {
    return this.clients.size >= this.maxClients;
  }

  /** Why `viewer` may not open another stream now, or null. */
  refusal(viewer: Viewer): string | null {
    if (this.full) return 'too many open event streams; retry later';
    if ('agentId' in viewer) {
      let n = 0;
      for (const c of this.clients) if ('agentId' in c.viewer && c.viewer.agentId === viewer.agentId) n += 1;
      if (n >= this.maxPerAgent) return `this agent already has ${n} open event streams (at most ${this.maxPerAgent})`;
    }
    return null;
  }

  private publish(e: ArbiterEvent): void {
    const id = this.nextId++;
    const s: Stamped = {
      id,
      type: e.type,
      frame: `id: ${id}\nevent: ${e.type}\ndata: ${redactedJson(e.data) ?? 'null'}\n\n`,
      owner: ownerOf(e),
    };
    this.ring.push(s);
    if (this.ring.length > this.keep) this.ring.splice(0, this.ring.length - this.keep);
    this.broadcast(s.frame, s);
  }

  private broadcast(frame: string, s: Stamped | null): void {
    for (const c of this.clients) {
      if (s !== null && ((c.types && !c.types.has(s.type)) || !sees(c.viewer, s))) continue;
      if (c.res.writableLength > this.maxBuffered) {
        c.res.end();
        this.clients.delete(c);
        continue;
      }
      c.res.write(frame);
    }
  }

  /** Takes over a response: headers, the missed or requested backlog, then live events until it closes. */
  attach(
    res: ServerResponse,
    opts: { types: ReadonlySet<string> | null; lastEventId: number | null; backlog: number; viewer: Viewer },
  ) {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 3000\n\n');
    const wanted = (s: Stamped) => (!opts.types || opts.types.has(s.type)) && sees(opts.viewer, s);
    const missed =
      opts.lastEventId !== null
        ? this.ring.filter((s) => s.id > (opts.lastEventId as number) && wanted(s))
        : opts.backlog > 0
          ? this.ring.filter(wanted).slice(-opts.backlog)
          : [];
    for (const s of missed) res.write(s.frame);
    const client: Client = { res, types: opts.types, viewer: opts.viewer };
    this.clients.add(client);
    res.on('close', () => this.clients.delete(client));
  }

  /** Ends every stream (server shutdown: otherwise open streams keep the server from closing). */
  closeAll(): void {
    for (const c of this.clients) c.res.end();
    this.clients.clear();
  }

  close(): void {
    clearInterval(this.timer);
    this.unsubscribe();
    this.closeAll();
  }
}
