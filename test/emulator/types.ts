import type { IncomingHttpHeaders } from 'node:http';
import type { EmuEngine, EmuReject, EmuTif } from './engine.js';

export interface EmuRequest {
  readonly method: string;
  /** Path without the query, e.g. `/v5/order/create`. */
  readonly path: string;
  /** The query string exactly as received, without `?`. */
  readonly rawQuery: string;
  /** The body exactly as received. */
  readonly body: string;
  readonly headers: IncomingHttpHeaders;
  /** Query and body parameters merged (JSON object or form-encoded body). */
  readonly params: Readonly<Record<string, unknown>>;
  /** The parsed JSON body when it is an array (OKX batch orders). */
  readonly bodyList: readonly Record<string, unknown>[] | null;
}

export interface EmuResponse {
  readonly status: number;
  readonly body: unknown;
}

export interface EmuCredentials {
  readonly apiKey: string;
  readonly secret: string;
  readonly passphrase?: string;
}

export type FailureKind = 'insufficient-balance' | 'rate-limit' | 'exchange-down' | 'timeout';

/** One venue's wire format: routing, signature check, response and error shapes. */
export interface VenueDialect {
  readonly id: string;
  isPrivate(req: EmuRequest): boolean;
  /** null when the request is correctly signed; the venue's own auth-error response otherwise. */
  authenticate(req: EmuRequest, creds: EmuCredentials): EmuResponse | null;
  isOrderCreate(req: EmuRequest): boolean;
  /** Serves a request; throws EmuReject for business rejections. Returns null for an unknown route. */
  handle(req: EmuRequest, engine: EmuEngine): EmuResponse | null;
  reject(err: EmuReject): EmuResponse;
  failure(kind: Exclude<FailureKind, 'timeout'>): EmuResponse;
}

export function str(params: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const v = params[key];
  if (v === undefined || v === null || v === '') return undefined;
  return String(v);
}

export function num(params: Readonly<Record<string, unknown>>, key: string): number | undefined {
  const s = str(params, key);
  return s === undefined ? undefined : Number(s);
}

export function ok(body: unknown): EmuResponse {
  return { status: 200, body };
}

/** A venue's time-in-force token as the engine's: IOC / FOK by name (any case), `postOnly` = the venue's word for it. */
export function tifFrom(raw: string | undefined, postOnly: string): EmuTif {
  const v = (raw ?? '').toUpperCase();
  if (v === postOnly.toUpperCase()) return 'PO';
  return v === 'IOC' || v === 'FOK' ? v : 'GTC';
}
