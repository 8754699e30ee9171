import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return files(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g),
    ...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1]!);
}

const layer = (file: string) => relative(SRC, file).split('/')[0]!;
const all = files(SRC);

describe('architecture', () => {
  it('keeps core free of node:*, network, database and MCP imports', () => {
    const bad = all
      .filter((f) => layer(f) === 'core')
      .flatMap((f) =>
        imports(f)
          .filter((i) =>
            /^node:|^(fs|path|os|http|https|net|crypto|child_process)$|better-sqlite3|^pg$|@modelcontextprotocol|fastify|ccxt/.test(
              i,
            ),
          )
          .map((i) => `${relative(SRC, f)} imports ${i}`),
      );
    expect(bad).toEqual([]);
  });

  it('points dependencies one way: core ← ports ← services ← adapters/transport ← app', () => {
    const allowed: Record<string, string[]> = {
      core: ['core'],
      ports: ['core', 'ports'],
      services: ['core', 'ports', 'services'],
      adapters: ['core', 'ports', 'adapters'],
      transport: ['core', 'ports', 'services', 'transport'],
      client: ['core', 'client'],
      app: ['core', 'ports', 'services', 'adapters', 'transport', 'app', 'client'],
      // The package's public surface (`import 'arbiter'`): re-exports only.
      'index.ts': ['core', 'ports', 'services', 'app', 'client'],
    };
    const bad: string[] = [];
    for (const f of all) {
      const from = layer(f);
      for (const i of imports(f)) {
        if (!i.startsWith('.')) continue;
        const target = relative(SRC, join(f, '..', i)).split('/')[0]!;
        if (!(allowed[from] ?? [from]).includes(target))
          bad.push(`${relative(SRC, f)} (${from}) imports ${i} (${target})`);
      }
    }
    expect(bad).toEqual([]);
  });
});
