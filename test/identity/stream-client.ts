export interface StreamEvent {
  readonly id: number | null;
  readonly type: string;
  readonly data: any;
}

export interface OpenStream {
  readonly status: number;
  readonly events: StreamEvent[];
  /** Resolves with the first event (already received or coming) that matches, or rejects after `ms`. */
  next(match: (e: StreamEvent) => boolean, ms?: number): Promise<StreamEvent>;
  close(): void;
}

/**
 * Opens /v1/stream the way a browser does: a single-use ticket from POST /v1/stream/ticket (made with the bearer
 * token), then a plain GET with the ticket in the query. Parses the server-sent events as they arrive.
 */
export async function openStream(
  base: string,
  token: string,
  query: { backlog?: number; types?: string } = {},
): Promise<OpenStream> {
  const t = await fetch(`${base}/v1/stream/ticket`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  if (t.status !== 200) throw new Error(`ticket: ${t.status} ${await t.text()}`);
  const { ticket } = (await t.json()) as { ticket: string };
  return openWithTicket(base, ticket, query);
}

export async function openWithTicket(
  base: string,
  ticket: string,
  query: { backlog?: number; types?: string } = {},
): Promise<OpenStream> {
  const q = new URLSearchParams({
    ticket,
    backlog: String(query.backlog ?? 0),
    ...(query.types ? { types: query.types } : {}),
  });
  const abort = new AbortController();
  const res = await fetch(`${base}/v1/stream?${q}`, { signal: abort.signal });
  const events: StreamEvent[] = [];
  const waiters: (() => void)[] = [];
  if (res.status === 200 && res.body) {
    void (async () => {
      const decoder = new TextDecoder();
      let buf = '';
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buf += decoder.decode(chunk, { stream: true });
          let at = buf.indexOf('\n\n');
          while (at >= 0) {
            const frame = buf.slice(0, at);
            buf = buf.slice(at + 2);
            at = buf.indexOf('\n\n');
            let id: number | null = null;
            let type = 'message';
            let data = '';
            for (const line of frame.split('\n')) {
              if (line.startsWith('id: ')) id = Number(line.slice(4));
              else if (line.startsWith('event: ')) type = line.slice(7);
              else if (line.startsWith('data: ')) data += line.slice(6);
            }
            if (!data) continue;
            events.push({ id, type, data: JSON.parse(data) });
            for (const w of waiters.splice(0)) w();
          }
        }
      } catch {
        // aborted
      }
    })();
  } else await res.text().catch(() => '');
  return {
    status: res.status,
    events,
    next(match, ms = 15_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no matching event within ${ms} ms; got ${JSON.stringify(events)}`)),
          ms,
        );
        const check = () => {
          const e = events.find(match);
          if (e) {
            clearTimeout(timer);
            resolve(e);
          } else waiters.push(check);
        };
        check();
      });
    },
    close: () => abort.abort(),
  };
}
