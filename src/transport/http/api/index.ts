import type { FastifyError, FastifyInstance } from 'fastify';
import { maskJsonText, redactString } from '../../../core/audit/redact.js';
import { VenueError } from '../../../ports/venue.js';
import { registerDashboard } from '../dashboard-assets.js';
import { accountRoutes } from './account-routes.js';
import { adminRoutes } from './admin-routes.js';
import { arenaRoutes } from './arena-routes.js';
import { noArena } from './arena-source.js';
import type { Api, ApiOptions } from './context.js';
import { HttpError } from './errors.js';
import { firewallRoutes } from './firewall-routes.js';
import { ledgerRoutes } from './ledger-routes.js';
import { Metrics } from './metrics.js';
import { docsPage, openApiDocument } from './openapi.js';
import { riskRoutes } from './risk-routes.js';
import { type RouteSpec, Routes } from './route.js';
import { StreamHub } from './stream.js';
import { streamRoutes } from './stream-routes.js';
import { StreamTickets } from './stream-tickets.js';

export type { ArenaSource } from './arena-source.js';
export { noArena } from './arena-source.js';
export type { ApiOptions, ApiServices } from './context.js';

/** Routes served outside the REST scope, listed so the OpenAPI document describes them too. */
const PLAIN: readonly RouteSpec[] = [
  {
    method: 'GET',
    url: '/health',
    auth: 'none',
    tag: 'status',
    summary: 'Liveness',
    responses: { 200: '{ status: "ok" }' },
    handler: async () => null,
  },
  {
    method: 'GET',
    url: '/metrics',
    auth: 'none',
    tag: 'status',
    summary:
      'Prometheus metrics: verdicts by decision and reason, latency histograms, orders, fills, open approvals, halts',
    description:
      'Open, like /health: server-wide counts and latencies only, with no agent, order or verdict id in any label.',
    produces: 'text/plain; version=0.0.4',
    responses: { 200: 'Prometheus text format' },
    handler: async () => null,
  },
  {
    method: 'GET',
    url: '/openapi.json',
    auth: 'none',
    tag: 'status',
    summary: 'This document',
    responses: { 200: 'OpenAPI 3.1' },
    handler: async () => null,
  },
  {
    method: 'GET',
    url: '/docs',
    auth: 'none',
    tag: 'status',
    summary: 'This document as a readable page',
    produces: 'text/html',
    responses: { 200: 'HTML' },
    handler: async () => null,
  },
  {
    method: 'GET',
    url: '/',
    auth: 'none',
    tag: 'status',
    summary:
      'The dashboard (its script, styles and chunks are served open under their own paths); it reads the API with the token typed into it',
    produces: 'text/html',
    responses: { 200: 'HTML', 503: 'the dashboard was not built' },
    handler: async () => null,
  },
  ...(['POST', 'GET', 'DELETE'] as const).map(
    (method): RouteSpec => ({
      method,
      url: '/mcp',
      auth: 'agent',
      agentSees: 'an MCP session of its own (a session is bound to the agent that opened it)',
      tag: 'mcp',
      summary: 'Streamable HTTP MCP: POST requests, GET the server-to-client stream, DELETE ends the session',
      description:
        'Every request carries the agent token. Sessions expire after ARBITER_MCP_SESSION_IDLE_MS idle, an agent holds at most ARBITER_MCP_SESSIONS_PER_AGENT (a new one beyond that closes its oldest idle session, or is refused with 429 if none is idle), and ARBITER_MCP_CALLS budgets every request of an agent across all its sessions.',
      responses: {
        200: 'JSON-RPC answer (or an SSE stream for GET)',
        400: 'no session id on a request other than initialize',
        401: 'no agent token',
        403: 'the session belongs to another agent',
        404: 'unknown or expired session',
        429: 'too many sessions for this agent, none idle',
      },
      handler: async () => null,
    }),
  ),
];

/**
 * A venue that failed to answer a read is the upstream's fault, not ours: 503 when it is worth retrying later (down,
 * rate-limited, timed out), 502 for any other answer it gave, with the venue's code. Adapters sanitise the message.
 */
const VENUE_UNAVAILABLE = new Set(['EXCHANGE_DOWN', 'RATE_LIMITED', 'TIMEOUT']);

function venueErrorBody(err: VenueError) {
  if (err.code === 'ORDER_NOT_FOUND') return { status: 404, body: { error: err.code, message: err.message } };
  const status = VENUE_UNAVAILABLE.has(err.code) || err.retryable ? 503 : 502;
  return { status, body: { error: err.code, message: redactString(err.message).slice(0, 500), venue_error: true } };
}

function errorBody(err: FastifyError | HttpError | VenueError, onInternal?: (e: Error) => void) {
  if (err instanceof HttpError)
    return {
      status: err.statusCode,
      body: { error: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) },
    };
  if (err instanceof VenueError) return venueErrorBody(err);
  const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
  if (status === 500) {
    onInternal?.(err);
    return { status, body: { error: 'INTERNAL_ERROR', message: 'internal error' } };
  }
  return { status, body: { error: err.code ?? 'BAD_REQUEST', message: err.message } };
}

/**
 * The REST API, the SSE stream, /metrics, the OpenAPI document and docs page, and the dashboard, on the app
 * `buildHttpApp` made (pass it as `extend`). Thin: parse with zod, call a service, map the result.
 */
export async function registerApi(
  app: FastifyInstance,
  opts: ApiOptions & { onInternalError?: (e: Error) => void },
): Promise<{ close(): void; metrics: Metrics; stream: StreamHub }> {
  const metrics = new Metrics(opts.deps.events, opts.deps.store, {
    processMetrics: opts.processMetrics ?? false,
    ...(opts.mcpSessions ? { mcpSessions: opts.mcpSessions } : {}),
  });
  const stream = new StreamHub(opts.deps.events);
  const tickets = new StreamTickets();
  const api: Api = { ...opts, arena: opts.arena ?? noArena, metrics, stream };

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    metrics.httpLatency.observe(
      { method: req.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  app.addHook('preClose', async () => stream.closeAll());
  app.addHook('onClose', async () => {
    stream.close();
    metrics.close();
  });

  await app.register(async (scope) => {
    // Secrets never leave in an answer: credential-shaped text in any JSON body's strings is masked on the way out.
    // What Arbiter writes itself never holds one; this catches what it stored from elsewhere (e.g. an order placed
    // before credential-shaped client order ids were refused).
    scope.addHook('onSend', async (_req, reply, payload) => {
      if (typeof payload !== 'string') return payload;
      const type = String(reply.getHeader('content-type') ?? '');
      return type.includes('json') ? maskJsonText(payload) : payload;
    });
    scope.setErrorHandler((err: FastifyError | HttpError, _req, reply) => {
      const { status, body } = errorBody(err, opts.onInternalError);
      if (status === 401) reply.header('www-authenticate', 'Bearer realm="arbiter"');
      void reply.code(status).send(body);
    });
    scope.setNotFoundHandler((req, reply) => {
      void reply.code(404).send({ error: 'NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]}` });
    });
    const routes = new Routes(scope, {
      store: opts.deps.store,
      venue: opts.venue,
      adminTokenHash: opts.adminTokenHash,
      tickets,
    });
    firewallRoutes(routes, api);
    accountRoutes(routes, api);
    riskRoutes(routes, api);
    arenaRoutes(routes, api);
    ledgerRoutes(routes, api);
    adminRoutes(routes, api);

    streamRoutes(routes, api, tickets);

    const doc = openApiDocument(routes.specs, PLAIN);
    const html = docsPage(doc);
    scope.get('/openapi.json', async () => doc);
    scope.get('/docs', async (_req, reply) => reply.type('text/html; charset=utf-8').send(html));
    scope.get('/metrics', async (_req, reply) =>
      reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
    );
    registerDashboard(scope, opts.webRoot ?? null);
  });

  return {
    metrics,
    stream,
    close() {
      stream.close();
      metrics.close();
    },
  };
}
