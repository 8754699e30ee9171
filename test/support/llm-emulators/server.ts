import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the emulator received it (for assertions on shape and headers). */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The parsed JSON body (null when it was not JSON). */
  readonly body: Record<string, unknown> | null;
  readonly status: number;
}

/** What the scripted model answers one valid request with. */
export type Reply =
  | {
      readonly text: string;
      readonly usage?: { readonly input: number; readonly output: number };
      /** `length`: the answer was cut at max_tokens. */
      readonly finish?: 'stop' | 'length';
    }
  | { readonly toolCalls: readonly { readonly name: string; readonly arguments: Record<string, unknown> }[] }
  | { readonly status: number; readonly message?: string; readonly retryAfterS?: number }
  /** A body that is not the API's JSON (a proxy's HTML page, a cut JSON). */
  | { readonly raw: string; readonly status?: number }
  /** Headers and half a body, then the connection is destroyed. */
  | { readonly truncate: true }
  /** The answer comes after `delayMs` (a slow model). */
  | { readonly delayMs: number; readonly reply: Reply };

export type Script = (req: ReceivedRequest, n: number) => Reply;

/** The wire a dialect speaks: validation of a request, its error body, and its success body. */
export interface Dialect {
  readonly path: string;
  /** null when valid; else the HTTP status and the API's own error body. */
  check(
    headers: IncomingMessage['headers'],
    body: Record<string, unknown> | null,
  ): { status: number; body: unknown } | null;
  error(status: number, message: string): unknown;
  success(body: Record<string, unknown>, reply: Reply & { text?: string; toolCalls?: unknown }): unknown;
  /** Server-sent events for a streamed answer (text replies only). */
  stream?(body: Record<string, unknown>, reply: { text: string; usage?: { input: number; output: number } }): string;
}

/** A rough token count the way a tokenizer would grow with the text (about four characters a token). */
export const tokens = (s: string) => Math.max(1, Math.ceil(s.length / 4));

/**
 * A provider's HTTP API on 127.0.0.1 (random port), answering from a script. Every request is checked the way
 * the real API checks it first; a request the real API would refuse gets the real API's error, not the script.
 */
export class LlmEmulator {
  readonly requests: ReceivedRequest[] = [];
  /** Requests being answered right now, and the most there ever were at once. */
  inFlight = 0;
  maxInFlight = 0;
  private readonly server: Server;
  private readonly timers = new Set<NodeJS.Timeout>();
  private script: Script;
  private served = 0;
  private port = 0;

  private constructor(
    private readonly dialect: Dialect,
    script: Script,
  ) {
    this.script = script;
    this.server = createServer((req, res) => void this.serve(req, res));
  }

  static async start(dialect: Dialect, script: Script): Promise<LlmEmulator> {
    const emu = new LlmEmulator(dialect, script);
    await new Promise<void>((resolve) => emu.server.listen(0, '127.0.0.1', resolve));
    emu.port = (emu.server.address() as AddressInfo).port;
    return emu;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Replace the script; `replies` are used in order, then `fallback` (if given) answers the rest. */
  answer(replies: Script | readonly Reply[], fallback?: Script): void {
    if (typeof replies === 'function') {
      this.script = replies;
      return;
    }
    const queue = [...replies];
    const rest = fallback ?? this.script;
    this.script = (req, n) => queue.shift() ?? rest(req, n);
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    res.once('close', () => {
      this.inFlight -= 1;
    });
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body: Record<string, unknown> | null = null;
    try {
      const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
    } catch {
      body = null;
    }
    const path = (req.url ?? '').split('?')[0]!;
    const record = (status: number) =>
      this.requests.push({ method: req.method ?? '', path, headers: { ...req.headers }, body, status });
    if (req.method !== 'POST' || path !== this.dialect.path) {
      record(404);
      return this.json(res, 404, this.dialect.error(404, `Unknown request URL: ${req.method} ${path}`));
    }
    const refused = this.dialect.check(req.headers, body);
    if (refused) {
      record(refused.status);
      return this.json(res, refused.status, refused.body);
    }
    const n = this.served++;
    const received: ReceivedRequest = { method: 'POST', path, headers: { ...req.headers }, body, status: 200 };
    let reply = this.script(received, n);
    while ('delayMs' in reply) {
      const { delayMs, reply: next } = reply;
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          this.timers.delete(t);
          resolve();
        }, delayMs);
        this.timers.add(t);
      });
      if (res.destroyed || req.socket.destroyed) {
        record(499);
        return;
      }
      reply = next;
    }
    const status = 'status' in reply && !('raw' in reply) ? reply.status : 'raw' in reply ? (reply.status ?? 200) : 200;
    record(status);
    if ('truncate' in reply) {
      const whole = JSON.stringify(this.dialect.success(body!, { text: '{"action": "hold", "reason": "cut"}' }));
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(whole.length) });
      res.write(whole.slice(0, Math.floor(whole.length / 2)));
      setImmediate(() => res.destroy());
      return;
    }
    if ('raw' in reply) {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(reply.raw);
      return;
    }
    if ('status' in reply) {
      const headers: Record<string, string> = {};
      if (reply.retryAfterS !== undefined) headers['retry-after'] = String(reply.retryAfterS);
      return this.json(
        res,
        reply.status,
        this.dialect.error(reply.status, reply.message ?? 'scripted failure'),
        headers,
      );
    }
    if (body!.stream === true && 'text' in reply && this.dialect.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.end(this.dialect.stream(body!, reply));
      return;
    }
    this.json(res, 200, this.dialect.success(body!, reply));
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(text);
  }
}
