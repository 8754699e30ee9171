import { z } from 'zod';
import type { RouteSpec } from './route.js';

type Json = Record<string, unknown>;

function schemaOf(s: z.ZodType): Json {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Json;
  return rest;
}

function parameters(spec: RouteSpec): Json[] {
  const out: Json[] = [];
  const add = (where: 'path' | 'query', s: z.ZodType | undefined) => {
    if (!s) return;
    const js = schemaOf(s) as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, schema] of Object.entries(js.properties ?? {})) {
      const { description, ...rest } = schema;
      out.push({
        name,
        in: where,
        required: where === 'path' || (js.required ?? []).includes(name),
        schema: rest,
        ...(description ? { description } : {}),
      });
    }
  };
  add('path', spec.params);
  add('query', spec.query);
  return out;
}

const ERROR = {
  type: 'object',
  required: ['error', 'message'],
  properties: {
    error: { type: 'string', description: 'stable code, e.g. VALIDATION_ERROR, UNAUTHENTICATED' },
    message: { type: 'string', description: 'names the offending field for validation errors' },
    fields: { type: 'array', items: { type: 'string' }, description: 'dotted paths, e.g. body.side' },
  },
};

/** Who may call: no scheme (open), or the schemes any one of which is enough. */
function securityOf(spec: RouteSpec): Json[] {
  if (spec.auth === 'none') return [];
  if (spec.auth === 'reader') return [{ agentToken: [] }, { adminToken: [] }];
  return [{ [`${spec.auth}Token`]: [] }];
}

/** The OpenAPI 3.1 document, built from the same route contracts the server validates with. */
export function openApiDocument(specs: readonly RouteSpec[], extra: readonly RouteSpec[] = []): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const spec of [...specs, ...extra]) {
    const path = spec.url.replace(/:([A-Za-z_]+)/g, '{$1}');
    const responses: Record<string, Json> = {};
    for (const [status, description] of Object.entries(spec.responses)) {
      const ok = Number(status) < 400;
      responses[status] = {
        description,
        content: ok
          ? { [spec.produces ?? 'application/json']: {} }
          : { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    }
    responses['500'] ??= { description: 'internal error (never a stack trace)' };
    const op: Json = {
      tags: [spec.tag],
      summary: spec.summary,
      ...(spec.description ? { description: spec.description } : {}),
      operationId: `${spec.method.toLowerCase()}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string) => (c ? c.toUpperCase() : ''))}`,
      parameters: parameters(spec),
      responses,
      security: securityOf(spec),
      ...(spec.agentSees ? { 'x-agent-sees': spec.agentSees } : {}),
      ...(spec.ticket ? { 'x-stream-ticket': true } : {}),
      ...(spec.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(spec.body) } } } }
        : {}),
    };
    paths[path] ??= {};
    paths[path][spec.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Arbiter HTTP API',
      version: '1',
      description:
        'Every order intent passes one fail-closed pre-trade firewall and gets an Ed25519-signed verdict. A denial is data: 200 with the verdict. Agent endpoints take the agent bearer token (`arbiter agents add NAME`); admin endpoints take the admin token (ARBITER_ADMIN_TOKEN, or ARBITER_HOME/keys/admin.token); read endpoints take either, and show an agent only what is its own (x-agent-sees). Without a token only /health, /v1/pubkey, /v1/verify, the market data, /metrics, this document and the dashboard files answer.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        agentToken: { type: 'http', scheme: 'bearer', description: 'an agent token (arb_agent_…)' },
        adminToken: { type: 'http', scheme: 'bearer', description: 'the admin token' },
      },
      schemas: { Error: ERROR },
    },
    paths,
  };
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A readable, script-free page rendering the OpenAPI document (served at /docs). */
export function docsPage(doc: Json): string {
  const paths = doc.paths as Record<string, Record<string, Json>>;
  const rows: string[] = [];
  for (const [path, ops] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const schemes = (op.security as Json[]).map((s) => Object.keys(s)[0]!);
      const security = schemes.length === 0 ? 'none' : schemes.length > 1 ? 'readerToken' : schemes[0]!;
      const label =
        security === 'none'
          ? 'public'
          : security === 'readerToken'
            ? 'agent (own) or admin token'
            : security.replace('Token', ' token');
      const params = (op.parameters as Json[])
        .map((p) => `<code>${esc(String(p.name))}</code>${p.required ? '' : '?'}`)
        .join(' ');
      const requestBody = op.requestBody as { content: Record<string, { schema: unknown }> } | undefined;
      const schema = requestBody?.content['application/json']?.schema;
      const body = schema
        ? `<details><summary>body</summary><pre>${esc(JSON.stringify(schema, null, 2))}</pre></details>`
        : '';
      const responses = Object.entries(op.responses as Record<string, Json>)
        .map(([s, r]) => `<li><b>${s}</b> ${esc(String(r.description))}</li>`)
        .join('');
      rows.push(`<section class="op"><h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${esc(path)}</code>
        <span class="auth ${security}">${esc(label)}</span></h3>
        <p>${esc(String(op.summary))}</p>${op.description ? `<p class="d">${esc(String(op.description))}</p>` : ''}${op['x-agent-sees'] ? `<p class="d">An agent sees: ${esc(String(op['x-agent-sees']))}.</p>` : ''}
        ${params ? `<p class="params">parameters: ${params}</p>` : ''}${body}<ul>${responses}</ul></section>`);
    }
  }
  const info = doc.info as Json;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Arbiter API</title><style>
body{font:15px/1.5 system-ui,sans-serif;margin:0;background:#0b1020;color:#dfe6f3}main{max-width:960px;margin:auto;padding:24px}
a{color:#7cc4ff}h1{margin:0 0 4px}code,pre{font:13px ui-monospace,monospace}pre{background:#060a16;padding:10px;border-radius:6px;overflow:auto}
.op{background:#121a2e;border:1px solid #22304d;border-radius:10px;padding:12px 16px;margin:12px 0}.op h3{margin:0;font-size:15px;display:flex;gap:8px;align-items:center;flex-wrap:wrap}
.m{font-size:12px;padding:2px 8px;border-radius:4px;background:#2b3a5c}.m.get{background:#17456b}.m.post{background:#1d5b3a}.m.delete{background:#6b1f2a}
.auth{margin-left:auto;font-size:12px;color:#9fb0cf}.auth.adminToken{color:#ffb86b}.auth.agentToken{color:#8be9fd}.auth.readerToken{color:#b8f5a0}.d{color:#9fb0cf}ul{margin:4px 0 0;padding-left:18px}
</style></head><body><main><h1>${esc(String(info.title))}</h1><p>${esc(String(info.description))}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> · Dashboard: <a href="/">/</a> · Metrics: <a href="/metrics">/metrics</a></p>
${rows.join('\n')}</main></body></html>`;
}
