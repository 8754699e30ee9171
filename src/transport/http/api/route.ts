import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Store } from '../../../ports/store.js';
import type { Session } from '../../../services/firewall-service.js';
import { ADMIN_TOKEN_PREFIX, agentForToken, bearer, isAdmin } from '../auth.js';
import { HttpError, validationError } from './errors.js';
import type { StreamTickets } from './stream-tickets.js';

/**
 * Who may call a route: anyone (`none`), an agent (its bearer token), the operator (the admin token), or either
 * (`reader`: an agent reads what is its own, the admin reads everything).
 */
export type Auth = 'none' | 'agent' | 'admin' | 'reader';

/** Who is calling, once authenticated. An agent's identity always comes from its token. */
export type Principal = { readonly kind: 'admin' } | { readonly kind: 'agent'; readonly session: Session };

export interface RouteInput<B, Q, P> {
  readonly body: B;
  readonly query: Q;
  readonly params: P;
  /** The calling agent's session (an agent principal only; identity comes from the token, never from the body). */
  readonly session: Session | null;
  /** The caller (null on `none` routes). */
  readonly principal: Principal | null;
  readonly req: FastifyRequest;
  readonly reply: FastifyReply;
}

/** One route: its contract (for validation and the OpenAPI document) and its handler. */
export interface RouteSpec<B = unknown, Q = unknown, P = unknown> {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Fastify path syntax (`/v1/orders/:id`). */
  readonly url: string;
  readonly auth: Auth;
  /** What an agent sees on a `reader` route (e.g. "its own approvals"); shown in the docs. */
  readonly agentSees?: string;
  /** Also accepts a single-use ticket (`?ticket=`, from POST /v1/stream/ticket) instead of the header. */
  readonly ticket?: boolean;
  readonly tag: string;
  readonly summary: string;
  readonly description?: string;
  readonly body?: z.ZodType<B>;
  readonly query?: z.ZodType<Q>;
  readonly params?: z.ZodType<P>;
  /** Status → what it means (documentation). */
  readonly responses: Readonly<Record<number, string>>;
  /** Response content type when not JSON. */
  readonly produces?: string;
  /** Returns the JSON body (status 200) or the reply it has already sent. */
  handler(input: RouteInput<B, Q, P>): Promise<unknown>;
}

export interface RouteContext {
  readonly store: Store;
  readonly venue: string;
  readonly adminTokenHash: string | null;
  readonly tickets: StreamTickets;
}

function parse<T>(where: string, schema: z.ZodType<T> | undefined, value: unknown): T {
  if (!schema) return value as T;
  const r = schema.safeParse(value ?? {});
  if (!r.success) throw validationError(where, r.error);
  return r.data;
}

const UNAUTHENTICATED = (what: string) =>
  new HttpError(401, 'UNAUTHENTICATED', `${what} is required: send it as "Authorization: Bearer <token>"`);

const FORBIDDEN_AGENT = () =>
  new HttpError(403, 'FORBIDDEN', 'this endpoint needs the admin token; an agent token is not enough');

function agentPrincipal(ctx: RouteContext, req: FastifyRequest, a: { agentId: string; accountId: string }): Principal {
  return {
    kind: 'agent',
    session: { agentId: a.agentId, accountId: a.accountId, venue: ctx.venue, sessionId: `http:${req.id}` },
  };
}

/** The caller of a route, or a 401/403 naming what is needed. Checked before the input is even parsed. */
async function authenticate(ctx: RouteContext, spec: RouteSpec, req: FastifyRequest): Promise<Principal | null> {
  const { auth } = spec;
  if (auth === 'none') return null;
  const token = bearer(req.headers.authorization);
  if (spec.ticket && token === null) {
    const ticket = (req.query as Record<string, unknown> | undefined)?.ticket;
    if (typeof ticket === 'string') {
      const p = ctx.tickets.redeem(ticket);
      if (p) return p;
      throw new HttpError(
        401,
        'UNAUTHENTICATED',
        'this stream ticket is unknown, used or expired (a ticket works once, for 30 s): POST /v1/stream/ticket with your token for a new one',
      );
    }
  }
  const admin = isAdmin(token, ctx.adminTokenHash);
  if (auth === 'admin') {
    if (ctx.adminTokenHash === null)
      throw new HttpError(403, 'ADMIN_DISABLED', 'admin endpoints are disabled on this server (no admin token)');
    if (admin) return { kind: 'admin' };
    if (token && (await agentForToken(ctx.store, token))) throw FORBIDDEN_AGENT();
    throw UNAUTHENTICATED('the admin token');
  }
  if (auth === 'reader') {
    if (admin) return { kind: 'admin' };
    const agent = await agentForToken(ctx.store, token);
    if (agent) return agentPrincipal(ctx, req, agent);
    throw UNAUTHENTICATED(
      spec.ticket
        ? 'an agent token or the admin token (or ?ticket= from POST /v1/stream/ticket)'
        : 'an agent token or the admin token',
    );
  }
  const agent = await agentForToken(ctx.store, token);
  if (agent) return agentPrincipal(ctx, req, agent);
  if (token?.startsWith(ADMIN_TOKEN_PREFIX) || admin)
    throw new HttpError(403, 'FORBIDDEN', 'the admin token cannot act as an agent; use an agent token');
  throw UNAUTHENTICATED('an agent token (arbiter agents add NAME)');
}

/** Registers routes on a Fastify scope and remembers their contracts for the OpenAPI document. */
export class Routes {
  readonly specs: RouteSpec<unknown, unknown, unknown>[] = [];

  constructor(
    private readonly app: FastifyInstance,
    private readonly ctx: RouteContext,
  ) {}

  add<B, Q, P>(spec: RouteSpec<B, Q, P>): void {
    const any = spec as unknown as RouteSpec<unknown, unknown, unknown>;
    this.specs.push(any);
    const ctx = this.ctx;
    this.app.route({
      method: spec.method,
      url: spec.url,
      handler: async (req, reply) => {
        const principal = await authenticate(ctx, any, req);
        const params = parse('params', spec.params, req.params);
        const query = parse('query', spec.query, req.query);
        const body = parse('body', spec.body, req.body);
        const session = principal?.kind === 'agent' ? principal.session : null;
        return spec.handler({ body, query, params, session, principal, req, reply });
      },
    });
  }
}

/** The agent id a principal may see, or null for the admin (who sees everything). */
export function ownerFilter(p: Principal | null): string | null {
  return p?.kind === 'agent' ? p.session.agentId : null;
}
