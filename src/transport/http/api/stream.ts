import type { ServerResponse } from 'node:http';
import type { ArbiterEvent, EventBus } from '../../../ports/runtime.js';

interface Stamped {
  readonly id: number;
  readonly type: ArbiterEvent['type'];
  readonly frame: string;
}

interface Client {
  readonly res: ServerResponse;
  readonly types: ReadonlySet<string> | null;
}

export interface StreamOptions {
  /** Events kept for reconnects (Last-Event-ID) and the `backlog` parameter. */
  readonly keep?: number;
  readonly maxClients?: number;
  readonly heartbeatMs?: number;
  /** A client that has this many bytes unsent is too slow: it is disconnected and reconnects from its last id. */
  readonly maxBufferedBytes?: number;
}

/**
 * Server-sent events from the EventBus. Every event gets an increasing id; a reconnecting browser sends the last
 * one it saw (Last-Event-ID) and gets what it missed, as far as the ring buffer reaches. Each event is serialised
 * once, whatever the number of clients.
 */
export class StreamHub {
  private readonly ring: Stamped[] = [];
  private readonly clients = new Set<Client>();
  private nextId = 1;
  private readonly keep: number;
  private readonly maxClients: number;
  private readonly maxBuffered: number;
  private readonly timer: NodeJS.Timeout;
  private readonly unsubscribe: () => void;

  constructor(events: EventBus, opts: StreamOptions = {}) {
    this.keep = opts.keep ?? 500;
    this.maxClients = opts.maxClients ?? 100;
    this.maxBuffered = opts.maxBufferedBytes ?? 1_048_576;
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

  private publish(e: ArbiterEvent): void {
    const id = this.nextId++;
    const s: Stamped = { id, type: e.type, frame: `id: ${id}\nevent: ${e.type}\ndata: ${JSON.stringify(e.data)}\n\n` };
    this.ring.push(s);
    if (this.ring.length > this.keep) this.ring.splice(0, this.ring.length - this.keep);
    this.broadcast(s.frame, s.type);
  }

  private broadcast(frame: string, type: string | null): void {
    for (const c of this.clients) {
      if (type !== null && c.types && !c.types.has(type)) continue;
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
    opts: { types: ReadonlySet<string> | null; lastEventId: number | null; backlog: number },
  ) {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 3000\n\n');
    const wanted = (s: Stamped) => !opts.types || opts.types.has(s.type);
    const missed =
      opts.lastEventId !== null
        ? this.ring.filter((s) => s.id > (opts.lastEventId as number) && wanted(s))
        : opts.backlog > 0
          ? this.ring.filter(wanted).slice(-opts.backlog)
          : [];
    for (const s of missed) res.write(s.frame);
    const client: Client = { res, types: opts.types };
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
