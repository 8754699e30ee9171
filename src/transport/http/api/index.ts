import type { FastifyError, FastifyInstance } from 'fastify';
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
import { type RouteSpec, Routes } from './route.js';
import { streamQuery } from './schemas.js';
import { StreamHub } from './stream.js';

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
    produces: 'text/plain; version=0.0.4',
    responses: { 200: 'Prometheus text format' },
    handler: async () => null,
  },
];

function errorBody(err: FastifyError | HttpError, onInternal?: (e: Error) => void) {
  if (err instanceof HttpError)
    return {
      status: err.statusCode,
      body: { error: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) },
    };
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
  const metrics = new Metrics(opts.deps.events, opts.deps.store, { processMetrics: opts.processMetrics ?? false });
  const stream = new StreamHub(opts.deps.events);
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
    });
    firewallRoutes(routes, api);
    accountRoutes(routes, api);
    arenaRoutes(routes, api);
    ledgerRoutes(routes, api);
    adminRoutes(routes, api);

    routes.add({
      method: 'GET',
      url: '/v1/stream',
      auth: 'none',
      tag: 'status',
      summary: 'Server-sent events: verdict, order, fill, approval, halt, leaderboard',
      description:
        'Each event has an id; a reconnecting client sends Last-Event-ID and receives what it missed (up to the last 500). ?types=verdict,fill filters; ?backlog=N replays the last N first.',
      query: streamQuery,
      produces: 'text/event-stream',
      responses: { 200: 'an event stream', 503: 'too many open streams' },
      async handler({ query, req, reply }) {
        if (stream.full) throw new HttpError(503, 'TOO_MANY_STREAMS', 'too many open event streams; retry later');
        const last = Number(req.headers['last-event-id']);
        reply.hijack();
        stream.attach(reply.raw, {
          types: query.types ? new Set(query.types.split(',')) : null,
          lastEventId: Number.isInteger(last) && last >= 0 ? last : null,
          backlog: query.backlog,
        });
        return reply;
      },
    });

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
