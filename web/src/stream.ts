import { signedIn, streamTicket } from './api.js';

export type StreamEvent = { type: string; id: number; data: Record<string, unknown> };
type Listener = (e: StreamEvent) => void;

const TYPES = ['verdict', 'order', 'fill', 'approval', 'halt', 'leaderboard'];

/**
 * The server's event stream, opened with a single-use ticket (POST /v1/stream/ticket with the page's token): an
 * EventSource cannot send an Authorization header, and a token in a URL would be kept in logs. A ticket works
 * once, so when the connection drops the stream asks for a new one and resumes after the last event it saw
 * (`last_event_id`), and nothing is missed across a short outage; `onStatus` drives the "live" chip.
 */
export class Stream {
  private readonly listeners = new Set<Listener>();
  private source: EventSource | null = null;
  private lastId: number | null = null;
  private stopped = false;
  private retry: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly onStatus: (live: boolean) => void) {}

  on(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  start(backlog = 100): void {
    if (!signedIn()) {
      this.onStatus(false);
      return;
    }
    void this.open(backlog);
  }

  private async open(backlog: number): Promise<void> {
    if (this.stopped) return;
    let ticket: string;
    try {
      ({ ticket } = await streamTicket());
    } catch {
      this.onStatus(false);
      this.again(backlog, 5_000);
      return;
    }
    const q = new URLSearchParams({ ticket });
    if (this.lastId !== null) q.set('last_event_id', String(this.lastId));
    else q.set('backlog', String(backlog));
    const src = new EventSource(`/v1/stream?${q}`);
    this.source = src;
    src.onopen = () => this.onStatus(true);
    src.onerror = () => {
      this.onStatus(false);
      // The browser would retry with the same (spent) ticket: take over and reconnect with a fresh one.
      src.close();
      if (this.source === src) this.again(backlog, 1_000);
    };
    for (const type of TYPES) {
      src.addEventListener(type, (ev) => {
        const m = ev as MessageEvent<string>;
        let data: Record<string, unknown>;
        try {
          data = JSON.parse(m.data) as Record<string, unknown>;
        } catch {
          return;
        }
        const e: StreamEvent = { type, id: Number(m.lastEventId), data };
        if (Number.isInteger(e.id)) this.lastId = e.id;
        for (const fn of this.listeners) fn(e);
      });
    }
  }

  private again(backlog: number, ms: number): void {
    if (this.retry !== null || this.stopped) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.open(backlog);
    }, ms);
  }

  stop(): void {
    this.stopped = true;
    if (this.retry !== null) clearTimeout(this.retry);
    this.source?.close();
  }
}
