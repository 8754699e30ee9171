import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = 'http://127.0.0.1:7070';

/** The dashboard: `vite build --config web/vite.config.ts` writes web/dist, which `arbiter serve` serves at /. */
export default defineConfig({
  root,
  base: '/',
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 1_000,
  },
  // `vite --config web/vite.config.ts` for development against a running `arbiter serve`.
  server: {
    proxy: Object.fromEntries(['/v1', '/health', '/metrics', '/openapi.json', '/docs'].map((p) => [p, api])),
  },
});
