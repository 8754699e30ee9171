import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/mcp.js';
import { buy, call } from './support/call.js';
import { type Harness, startHarness } from './support/harness.js';

/** Reads an SSE response until `until` matches the text received so far (or the time runs out). */
async function readStream(res: Response, until: (text: string) => boolean, ms = 5_000): Promise<string> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + ms;
  while (!until(text) && Date.now() < deadline) {
    const chunk = await Promise.race([
      reader.read(),
      new Promise<null>((r) => setTimeout(() => r(null), Math.max(1, deadline - Date.now()))),
    ]);
    if (!chunk || chunk.done) break;
    text += decoder.decode(chunk.value);
  }
  await reader.cancel();
  return text;
}

describe('HTTP API: live stream, metrics, OpenAPI', () => {
  let h: Harness;
  let base: string;
  let web: string;
  beforeAll(async () => {
    web = mkdtempSync(join(tmpdir(), 'arbiter-web-'));
    mkdirSync(join(web, 'assets'));
    writeFileSync(
      join(web, 'index.html'),
      '<!doctype html><title>dash</title><script src="/assets/app-1.js"></script>',
    );
    writeFileSync(join(web, 'assets', 'app-1.js'), 'console.log(1)');
    writeFileSync(join(web, 'assets', 'style-1.css'), 'body{}');
    writeFileSync(join(web, 'notes.unknown'), 'not served');
    const port = await freePort();
    h = await startHarness({ bars: 0, port, webRoot: web });
    await h.app.listen({ port, host: '127.0.0.1' });
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await h.close();
    rmSync(web, { recursive: true, force: true });
  });

  it('delivers a verdict to an open event stream as it is signed', async () => {
    const res = await fetch(`${base}/v1/stream?types=verdict`, {
      headers: { authorization: `Bearer ${h.adminToken}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reading = readStream(res, (t) => t.includes('event: verdict'));
    await new Promise((r) => setTimeout(r, 50));
    const v = await call(h, 'POST', '/v1/vet', { token: h.tokens.alice, body: buy() });
    const text = await reading;
    const frame = text.split('\n\n').find((f) => f.includes('event: verdict'))!;
    const data = JSON.parse(
      frame
        .split('\n')
        .find((l) => l.startsWith('data: '))!
        .slice(6),
    );
    expect(data).toMatchObject({ id: v.body.verdict_id, agent_id: 'alice', decision: 'ALLOW' });
    expect(frame).toMatch(/^id: \d+/m);
  });

  it('replays what a reconnecting client missed after its Last-Event-ID', async () => {
    const auth = { authorization: `Bearer ${h.tokens.bob}` };
    const first = await fetch(`${base}/v1/stream?backlog=1`, { headers: auth });
    const seen = await readStream(first, (t) => /id: \d+/.test(t), 1_000);
    const last = Number(/id: (\d+)/.exec(seen)?.[1] ?? 0);
    await call(h, 'POST', '/v1/orders', { token: h.tokens.bob, body: buy() });
    const again = await fetch(`${base}/v1/stream`, { headers: { ...auth, 'last-event-id': String(last) } });
    const text = await readStream(again, (t) => t.includes('event: fill'));
    expect(text).toContain('event: verdict');
    expect(text).toContain('event: order');
    expect(text).toContain('event: fill');
  });

  it('exposes verdict counters by decision and reason, latency histograms and gauges on /metrics', async () => {
    await call(h, 'POST', '/v1/vet', { token: h.tokens.alice, body: buy({ notional: -1 }) });
    const r = await call(h, 'GET', '/metrics');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toContain('text/plain');
    expect(r.text).toMatch(/arbiter_verdicts_total\{decision="ALLOW",reason="NONE"\} [1-9]/);
    expect(r.text).toMatch(/arbiter_verdicts_total\{decision="REJECT",reason="INTENT_MALFORMED"\} 1/);
    expect(r.text).toMatch(/arbiter_fills_total\{side="buy"\} [1-9]/);
    expect(r.text).toMatch(/arbiter_vet_duration_seconds_bucket\{le="0.1",route="\/v1\/vet",decision="ALLOW"\}/);
    expect(r.text).toMatch(
      /arbiter_http_request_duration_seconds_count\{method="POST",route="\/v1\/vet",status="200"\}/,
    );
    expect(r.text).toContain('arbiter_approvals_open 0');
    expect(r.text).toContain('arbiter_halts_active 0');
  });

  it('describes every route in /openapi.json, and renders it at /docs', async () => {
    const doc = (await call(h, 'GET', '/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    const ops = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, o]) =>
      Object.entries(o).map(([method, op]) => ({ path, method, op })),
    );
    expect(ops.length).toBeGreaterThanOrEqual(30);
    for (const { path, method } of ops)
      expect(h.app.hasRoute({ method: method.toUpperCase() as 'GET', url: path.replace(/\{(\w+)\}/g, ':$1') })).toBe(
        true,
      );
    const vet = doc.paths['/v1/vet'].post;
    expect(vet.security).toEqual([{ agentToken: [] }]);
    expect(vet.requestBody.content['application/json'].schema.required).toEqual(['symbol', 'side']);
    expect(doc.paths['/v1/halt'].post.security).toEqual([{ adminToken: [] }]);
    const docs = await call(h, 'GET', '/docs');
    expect(docs.headers['content-type']).toContain('text/html');
    expect(docs.text).toContain('/v1/ledger/verify');
  });

  it('serves the built dashboard with the right types and a CSP, and nothing outside it', async () => {
    const index = await call(h, 'GET', '/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toContain('text/html');
    expect(index.headers['content-security-policy']).toContain("script-src 'self'");
    const js = await call(h, 'GET', '/assets/app-1.js');
    expect(js.headers['content-type']).toContain('text/javascript');
    expect(js.headers['cache-control']).toContain('immutable');
    expect((await call(h, 'GET', '/assets/style-1.css')).headers['content-type']).toContain('text/css');
    for (const path of [
      '/notes.unknown',
      '/../package.json',
      '/assets/../../package.json',
      '/%2e%2e/%2e%2e/etc/passwd',
    ])
      expect((await call(h, 'GET', path)).status, path).toBe(404);
  });

  it('refuses a foreign Host before any route runs', async () => {
    const r = await call(h, 'GET', '/v1/leaderboard', { headers: { host: 'evil.example' } });
    expect(r.status).toBe(403);
  });

  it('answers / with a "not built" page when web/dist is missing', async () => {
    const bare = await startHarness({ bars: 0, webRoot: null });
    try {
      const r = await call(bare, 'GET', '/');
      expect(r.status).toBe(503);
      expect(r.text).toContain('npm run build:web');
    } finally {
      await bare.close();
    }
  });
});
