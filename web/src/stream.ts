export type StreamEvent = { type: string; id: number; data: Record<string, unknown> };
type Listener = (e: StreamEvent) => void;

const TYPES = ['verdict', 'order', 'fill', 'approval', 'halt', 'leaderboard'];

/**
 * The server's event stream. EventSource reconnects by itself and sends Last-Event-ID, so nothing is missed
 * across a short outage; `onStatus` drives the "live" chip.
 */
export class Stream {
  private readonly listeners = new Set<Listener>();
  private source: EventSource | null = null;

  constructor(private readonly onStatus: (live: boolean) => void) {}

  on(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  start(backlog = 100): void {
    const src = new EventSource(`/v1/stream?backlog=${backlog}`);
    this.source = src;
    src.onopen = () => this.onStatus(true);
    src.onerror = () => this.onStatus(src.readyState === EventSource.OPEN);
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
        for (const fn of this.listeners) fn(e);
      });
    }
  }

  stop(): void {
    this.source?.close();
  }
}
