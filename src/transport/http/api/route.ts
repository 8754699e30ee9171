import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Store } from '../../../ports/store.js';
import type { Session } from '../../../services/firewall-service.js';
import { ADMIN_TOKEN_PREFIX, agentForToken, bearer, isAdmin } from '../auth.js';
import { HttpError, validationError } from './errors.js';

/** Who may call a route: anyone, an agent (its bearer token), or the operator (the admin token). */
export type Auth = 'none' | 'agent' | 'admin';

export interface RouteInput<B, Q, P> {
  readonly body: B;
  readonly query: Q;
  readonly params: P;
  /** The calling agent's session (auth `agent` only; identity comes from the token, never from the body). */
  readonly session: Session | null;
  readonly req: FastifyRequest;
  readonly reply: FastifyReply;
}

/** One route: its contract (for validation and the OpenAPI document) and its handler. */
export interface RouteSpec<B = unknown, Q = unknown, P = unknown> {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Fastify path syntax (`/v1/orders/:id`). */
  readonly url: string;
  readonly auth: Auth;
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
}

function parse<T>(where: string, schema: z.ZodType<T> | undefined, value: unknown): T {
  if (!schema) return value as T;
  const r = schema.safeParse(value ?? {});
  if (!r.success) throw validationError(where, r.error);
  return r.data;
}

const UNAUTHENTICATED = (what: string) =>
  new HttpError(401, 'UNAUTHENTICATED', `${what} is required: send it as "Authorization: Bearer <token>"`);

async function authenticate(ctx: RouteContext, auth: Auth, req: FastifyRequest): Promise<Session | null> {
  if (auth === 'none') return null;
  const token = bearer(req.headers.authorization);
  if (auth === 'admin') {
    if (ctx.adminTokenHash === null)
      throw new HttpError(403, 'ADMIN_DISABLED', 'admin endpoints are disabled on this server (no admin token)');
    if (isAdmin(token, ctx.adminTokenHash)) return null;
    if (token && (await agentForToken(ctx.store, token)))
      throw new HttpError(403, 'FORBIDDEN', 'this endpoint needs the admin token; an agent token is not enough');
    throw UNAUTHENTICATED('the admin token');
  }
  const agent = await agentForToken(ctx.store, token);
  if (agent)
    return { agentId: agent.agentId, accountId: agent.accountId, venue: ctx.venue, sessionId: `http:${req.id}` };
  if (token?.startsWith(ADMIN_TOKEN_PREFIX) || (token && isAdmin(token, ctx.adminTokenHash)))
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
    this.specs.push(spec as unknown as RouteSpec<unknown, unknown, unknown>);
    const ctx = this.ctx;
    this.app.route({
      method: spec.method,
      url: spec.url,
      handler: async (req, reply) => {
        const session = await authenticate(ctx, spec.auth, req);
        const params = parse('params', spec.params, req.params);
        const query = parse('query', spec.query, req.query);
        const body = parse('body', spec.body, req.body);
        return spec.handler({ body, query, params, session, req, reply });
      },
    });
  }
}
