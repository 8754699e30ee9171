import type { Harness } from './harness.js';

export interface Answer {
  readonly status: number;
  readonly body: any;
  readonly text: string;
  readonly headers: Record<string, unknown>;
}

/** One in-process request (app.inject) with an optional bearer token and JSON body. */
export async function call(
  h: Pick<Harness, 'app'>,
  method: 'GET' | 'POST' | 'DELETE' | 'HEAD',
  url: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { host: 'localhost', ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const r = await h.app.inject({
    method,
    url,
    headers,
    ...(opts.body !== undefined ? { payload: opts.body as object } : {}),
  });
  let body: unknown = null;
  try {
    body = r.body ? JSON.parse(r.body) : null;
  } catch {
    body = null;
  }
  return { status: r.statusCode, body, text: r.body, headers: r.headers };
}

let n = 0;

/** A small buy whose size differs from the last one (the firewall refuses the same order twice within 3 s). */
export function buy(extra: Record<string, unknown> = {}): Record<string, unknown> {
  n += 1;
  return { symbol: 'BTC/USDT', side: 'buy', notional: 100 + n, ...extra };
}
