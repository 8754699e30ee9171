import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
export const WEB_DIST = join(ROOT, 'web', 'dist');

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((f) => newest(join(path, f))));
}

/**
 * Builds the dashboard with Vite (programmatically) when web/dist is missing or older than its sources, so the
 * browser tests never run against a stale bundle. `npm run build:web` does the same from the command line.
 */
export async function ensureWebBuild(): Promise<string> {
  const built = newest(join(WEB_DIST, 'index.html'));
  const sources = Math.max(
    newest(join(ROOT, 'web', 'src')),
    newest(join(ROOT, 'web', 'index.html')),
    newest(join(ROOT, 'web', 'vite.config.ts')),
    newest(join(ROOT, 'src', 'client')),
    newest(join(ROOT, 'src', 'core')),
  );
  if (built === 0 || built < sources) {
    const { build } = await import('vite');
    await build({ configFile: join(ROOT, 'web', 'vite.config.ts'), logLevel: 'error' });
  }
  return WEB_DIST;
}
