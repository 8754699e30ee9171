import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** The page's script and its chunks come from this server only; styles may be set inline by the chart library. */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
  "font-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

interface Asset {
  readonly body: Buffer;
  readonly type: string;
  readonly immutable: boolean;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/**
 * Loads the built dashboard into memory, keyed by URL path. Only files that exist at start-up and have a known
 * type are served, and a request is a map lookup, never a path join: there is nothing to traverse.
 */
export function loadAssets(root: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const file of walk(root)) {
    const type = TYPES[extname(file).toLowerCase()];
    if (!type) continue;
    const url = `/${relative(root, file).split(sep).join('/')}`;
    // Vite names built chunks by content hash: they never change, so browsers may keep them.
    assets.set(url, { body: readFileSync(file), type, immutable: url.startsWith('/assets/') });
  }
  return assets;
}

/** The built dashboard next to this package: web/dist from the repository root (src/… or dist/… alike). */
export function defaultWebRoot(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'web', 'dist');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return null;
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Arbiter</title>
<body style="font:16px system-ui;background:#0b1020;color:#dfe6f3;padding:40px">
<h1>Arbiter is running</h1><p>The dashboard has not been built. Run <code>npm run build:web</code> and restart.</p>
<p>The API is up: <a style="color:#7cc4ff" href="/docs">/docs</a>, <a style="color:#7cc4ff" href="/v1/stream">/v1/stream</a>.</p>`;

/** Serves the dashboard at / and its files under their own paths (GET and HEAD). */
export function registerDashboard(app: FastifyInstance, root: string | null): void {
  const assets = root && existsSync(join(root, 'index.html')) ? loadAssets(root) : new Map<string, Asset>();
  const index = assets.get('/index.html');
  const security = {
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
  };
  app.get('/', async (_req, reply) => {
    if (!index) return reply.code(503).headers(security).type('text/html; charset=utf-8').send(NOT_BUILT);
    return reply.headers(security).header('cache-control', 'no-cache').type(index.type).send(index.body);
  });
  for (const [url, asset] of assets) {
    if (url === '/index.html') continue;
    app.get(url, async (_req, reply) =>
      reply
        .headers(security)
        .header('cache-control', asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
        .type(asset.type)
        .send(asset.body),
    );
  }
}
