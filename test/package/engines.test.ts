import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
// npm's own range semantics (semver is what npm uses to check `engines`).
const semver = createRequire(join(ROOT, 'package.json'))('semver') as {
  satisfies(version: string, range: string, options?: { includePrerelease?: boolean }): boolean;
  minVersion(range: string): { version: string } | null;
};

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};

/** Every package `npm ci` installs whose declared Node range excludes `node`. */
function refusing(node: string): string[] {
  const out: string[] = [];
  for (const [path, p] of Object.entries(lock.packages)) {
    const range = !p.engines || Array.isArray(p.engines) ? undefined : p.engines.node;
    if (!path || !range) continue;
    if (!semver.satisfies(node, range, { includePrerelease: true }))
      out.push(`${path}@${p.version} needs node ${range}`);
  }
  return out;
}

describe("one Node version story: README's and package.json's Node floor holds for every dependency", () => {
  it('every package in the lockfile accepts the lowest Node that package.json engines allows', () => {
    const floor = semver.minVersion(pkg.engines.node)!.version;
    expect(floor).toBe('20.19.0');
    expect(refusing(floor)).toEqual([]);
  });

  it('every package in the lockfile accepts the Node running this test', () => {
    expect(refusing(process.version.slice(1))).toEqual([]);
  });

  it("the README states package.json's floor", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('Node ≥ 20.19');
  });
});
