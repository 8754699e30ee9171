import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EmuEngine, EmuReject } from './engine.js';
import type { EmuMarket } from './markets.js';
import type { EmuCredentials, EmuRequest, EmuResponse, FailureKind, VenueDialect } from './types.js';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly private: boolean;
  readonly params: Readonly<Record<string, unknown>>;
  readonly bodyList: readonly Record<string, unknown>[] | null;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Query string and body exactly as sent (where Binance carries its signature). */
  readonly raw: string;
  readonly status: number;
  /** The signature check refused the request. */
  readonly authFailed: boolean;
}

interface Injection {
  readonly kind: FailureKind;
  remaining: number;
  readonly path?: string;
}

export interface EmulatorOptions {
  readonly credentials: EmuCredentials;
  readonly markets?: readonly EmuMarket[];
  readonly wallet?: number;
  /** How long a `timeout` injection holds the response (longer than the client's timeout). */
  readonly hangMs?: number;
}

/** A venue REST API on 127.0.0.1 (random port) backed by the tiny matching engine. */
export class VenueEmulator {
  readonly engine: EmuEngine;
  readonly requests: RecordedRequest[] = [];
  private readonly injections: Injection[] = [];
  private readonly server: Server;
  private readonly timers = new Set<NodeJS.Timeout>();
  private port = 0;

  private constructor(
    readonly dialect: VenueDialect,
    readonly options: EmulatorOptions,
  ) {
    this.engine = new EmuEngine({ markets: options.markets, wallet: options.wallet });
    this.server = createServer((req, res) => void this.serve(req, res));
  }

  static async start(dialect: VenueDialect, options: EmulatorOptions): Promise<VenueEmulator> {
    const emu = new VenueEmulator(dialect, options);
    await new Promise<void>((resolve) => emu.server.listen(0, '127.0.0.1', resolve));
    emu.port = (emu.server.address() as AddressInfo).port;
    return emu;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  setPrice(symbol: string, price: number): void {
    this.engine.setPrice(symbol, price);
  }

  /**
   * Makes the next `times` matching requests fail. `insufficient-balance` applies to order placement unless a path
   * is given; the others apply to any request (or those whose path contains `path`). `timeout` still executes the
   * request (an order is placed) but holds the response past the client's timeout.
   */
  inject(kind: FailureKind, opts: { times?: number; path?: string } = {}): void {
    this.injections.push({ kind, remaining: opts.times ?? 1, path: opts.path });
  }

  clearInjections(): void {
    this.injections.length = 0;
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const request = parseRequest(req, Buffer.concat(chunks).toString('utf8'));
    const isPrivate = this.dialect.isPrivate(request);
    const failure = this.takeInjection(request);
    let response: EmuResponse;
    let authFailed = false;
    if (failure && failure !== 'timeout' && failure !== 'insufficient-balance') {
      response = this.dialect.failure(failure);
    } else {
      const authError = isPrivate ? this.dialect.authenticate(request, this.options.credentials) : null;
      authFailed = authError !== null;
      if (authError) response = authError;
      else if (failure === 'insufficient-balance') response = this.dialect.failure(failure);
      else response = this.dispatch(request);
    }
    this.requests.push({
      method: request.method,
      path: request.path,
      private: isPrivate,
      params: request.params,
      bodyList: request.bodyList,
      headers: request.headers,
      raw: `${request.rawQuery}${request.body}`,
      status: response.status,
      authFailed,
    });
    const send = () => {
      if (res.destroyed) return;
      const text = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
      res.writeHead(response.status, {
        'content-type': typeof response.body === 'string' ? 'text/html' : 'application/json',
      });
      res.end(text);
    };
    if (failure === 'timeout') {
      const t = setTimeout(() => {
        this.timers.delete(t);
        send();
      }, this.options.hangMs ?? 3_000);
      this.timers.add(t);
    } else send();
  }

  private dispatch(request: EmuRequest): EmuResponse {
    try {
      return this.dialect.handle(request, this.engine) ?? { status: 404, body: { code: 404, msg: 'Not Found' } };
    } catch (err) {
      if (err instanceof EmuReject) return this.dialect.reject(err);
      throw err;
    }
  }

  private takeInjection(req: EmuRequest): FailureKind | null {
    const i = this.injections.find((x) => {
      if (x.remaining <= 0) return false;
      if (x.path !== undefined) return req.path.includes(x.path);
      return x.kind === 'insufficient-balance' ? this.dialect.isOrderCreate(req) : true;
    });
    if (!i) return null;
    i.remaining -= 1;
    return i.kind;
  }
}

function parseRequest(req: IncomingMessage, body: string): EmuRequest {
  const raw = req.url ?? '/';
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  const rawQuery = q < 0 ? '' : raw.slice(q + 1);
  const params: Record<string, unknown> = Object.fromEntries(new URLSearchParams(rawQuery));
  let bodyList: Record<string, unknown>[] | null = null;
  if (body.length > 0) {
    const contentType = req.headers['content-type'] ?? '';
    if (contentType.includes('json') || body.startsWith('{') || body.startsWith('[')) {
      const parsed: unknown = JSON.parse(body);
      if (Array.isArray(parsed)) {
        bodyList = parsed as Record<string, unknown>[];
        Object.assign(params, bodyList[0] ?? {});
      } else Object.assign(params, parsed);
    } else Object.assign(params, Object.fromEntries(new URLSearchParams(body)));
  }
  return { method: req.method ?? 'GET', path, rawQuery, body, headers: req.headers, params, bodyList };
}
