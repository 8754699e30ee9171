import type { Certificate } from '../core/cert/certificate.js';
import type { Decision, GateOutcome } from '../core/firewall/types.js';

/** An order intent, as the firewall reads it. The agent is never part of it: the token says who is asking. */
export interface Intent {
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly quantity?: number;
  readonly notional?: number;
  readonly limit_price?: number;
  readonly type?: 'market' | 'limit';
  readonly time_in_force?: 'GTC' | 'IOC' | 'FOK' | 'PO';
  readonly reduce_only?: boolean;
  readonly client_order_id?: string;
  readonly leverage?: number;
}

/** A verdict as POST /v1/vet and POST /v1/orders return it (a denial is a verdict too, not an error). */
export interface Verdict {
  readonly decision: Decision;
  readonly verdict_id: string;
  readonly effective_notional: number;
  readonly effective_quantity: number;
  readonly reasons: readonly string[];
  readonly messages: readonly string[];
  readonly gates: readonly GateOutcome[];
  readonly approval_id: string | null;
  readonly replayed: boolean;
  readonly order: Record<string, unknown> | null;
  readonly order_error: { readonly code: string; readonly message: string } | null;
  readonly certificate: Certificate;
}

/** What a halt answers on every door: the scope, and what the switch did. */
export interface HaltAnswer {
  readonly halted: true;
  readonly scope_key: string;
  readonly reason: string;
  readonly by: string;
  readonly since: string;
  readonly halt_id: string;
  /** Resting orders cancelled, positions flattened, waiting approvals rejected. */
  readonly cancelled: number;
  readonly flattened: number;
  readonly approvals_rejected: number;
  readonly sweep: readonly Record<string, unknown>[];
}

/** A refusal by the server itself (bad input, bad token): status, stable code, and the fields it is about. */
export class ArbiterHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: readonly string[] = [],
  ) {
    super(`${code}: ${message}`);
    this.name = 'ArbiterHttpError';
  }
}

/** A thin fetch client for one agent (its token) against a running `arbiter serve`. */
export class ArbiterClient {
  private readonly base: string;

  constructor(
    baseUrl: string,
    private readonly token?: string,
    private readonly fetchImpl: typeof fetch = globalThis.fetch.bind(globalThis),
  ) {
    this.base = baseUrl.replace(/\/+$/, '');
  }

  /** Any API call: JSON in and out; a non-2xx answer throws ArbiterHttpError. */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await this.fetchImpl(`${this.base}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (!res.ok) {
      const e = (json ?? {}) as { error?: string; message?: string; fields?: string[] };
      throw new ArbiterHttpError(
        res.status,
        e.error ?? `HTTP_${res.status}`,
        e.message ?? text.slice(0, 200),
        e.fields,
      );
    }
    return json as T;
  }

  /** A signed verdict for the intent; nothing is reserved or sent (dry run). */
  vet(intent: Intent): Promise<Verdict> {
    return this.request('POST', '/v1/vet', intent);
  }

  /** Vets the intent and, if allowed, sends it to the venue: the verdict with the order. */
  placeOrder(intent: Intent): Promise<Verdict> {
    return this.request('POST', '/v1/orders', intent);
  }

  cancelOrder(orderId: string): Promise<{ order: Record<string, unknown> }> {
    return this.request('DELETE', `/v1/orders/${encodeURIComponent(orderId)}`);
  }

  /**
   * Kill switch (needs the admin token): refuses every order that adds exposure, cancels resting orders in scope
   * and flattens where the mandate says `flatten_on_halt`. The answer says how many were cancelled and flattened.
   */
  halt(
    scope: { scope?: 'global' | 'venue' | 'agent'; venue?: string; agent?: string } = {},
    reason?: string,
  ): Promise<HaltAnswer> {
    return this.request('POST', '/v1/halt', { ...scope, ...(reason ? { reason } : {}) });
  }

  /** Lifts a halt (admin token); the runtime root's HALT file goes with it. */
  resume(scope: { scope?: 'global' | 'venue' | 'agent'; venue?: string; agent?: string } = {}): Promise<{
    resumed: boolean;
    was_halted: boolean;
    file_removed: { path: string; kind: string } | null;
  }> {
    return this.request('POST', '/v1/resume', scope);
  }

  /** The halts in force: each scope with its reason, who pulled it, since when and what it cancelled. */
  halts(): Promise<{ halted: boolean; scopes: readonly Record<string, unknown>[] }> {
    return this.request('GET', '/v1/halts');
  }

  /** The server's issuer key, to pin (pass it to `verifyCertificate`). */
  pubkey(): Promise<{ alg: 'Ed25519'; key_id: string; public_key: string; public_key_hex: string }> {
    return this.request('GET', '/v1/pubkey');
  }
}
