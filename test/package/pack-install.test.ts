import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  dependencies: Record<string, string>;
  exports: Record<string, { types: string; default: string }>;
};

function run(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The README's "Embed the firewall" example, exactly as written there. */
function readmeExample(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Embed the firewall in your program'));
  const m = /```ts\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error('README has no example under "Embed the firewall in your program"');
  return m[1]!;
}

/**
 * What another project gets from `npm install arbiter`: the package is packed as npm would publish it (`files`,
 * `exports`), unpacked into an empty project's node_modules, and every entry point is imported there by a separate
 * node process. Offline: the project's node_modules holds the packed package itself and only the packages it
 * declares as dependencies, linked from this checkout's node_modules (so a dependency missing from package.json
 * fails to resolve here, as it would for a user).
 */
describe('the packed package, installed into an empty project', () => {
  let project: string;
  let pack: string;

  beforeAll(() => {
    expect(existsSync(join(ROOT, 'dist', 'index.js')), 'dist/ is built (npm run build)').toBe(true);
    pack = mkdtempSync(join(tmpdir(), 'arbiter-pack-'));
    // --ignore-scripts: `prepare` would rebuild; the test runs on what `npm run build` made.
    const p = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', pack], ROOT);
    expect(p.code, p.err).toBe(0);
    const tarball = join(pack, (JSON.parse(p.out) as { filename: string }[])[0]!.filename);
    project = mkdtempSync(join(tmpdir(), 'arbiter-consumer-'));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    const into = join(project, 'node_modules', pkg.name);
    mkdirSync(into, { recursive: true });
    const t = run('tar', ['-xzf', tarball, '-C', into, '--strip-components=1'], project);
    expect(t.code, t.err).toBe(0);
    for (const dep of Object.keys(pkg.dependencies)) {
      const target = join(project, 'node_modules', dep);
      mkdirSync(join(target, '..'), { recursive: true });
      symlinkSync(join(ROOT, 'node_modules', dep), target, 'dir');
    }
  }, 120_000);
  afterAll(() => {
    if (project) rmSync(project, { recursive: true, force: true });
    if (pack) rmSync(pack, { recursive: true, force: true });
  });

  it('ships a built file and its type declarations for every entry in exports', () => {
    for (const [entry, target] of Object.entries(pkg.exports)) {
      for (const file of [target.default, target.types])
        expect(existsSync(join(project, 'node_modules', pkg.name, file)), `${entry} → ${file} is in the tarball`).toBe(
          true,
        );
    }
  });

  it('imports every entry point in a fresh node process', () => {
    for (const entry of Object.keys(pkg.exports)) {
      const spec = entry === '.' ? pkg.name : `${pkg.name}/${entry.slice(2)}`;
      const r = run(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const m = await import(${JSON.stringify(spec)}); console.log(JSON.stringify(Object.keys(m)));`,
        ],
        project,
      );
      expect(r.code, `import '${spec}': ${r.err}`).toBe(0);
      expect((JSON.parse(r.out) as string[]).length, `'${spec}' exports something`).toBeGreaterThan(0);
    }
  });

  it("exposes the documented surface from 'arbiter'", () => {
    const r = run(
      process.execPath,
      ['--input-type=module', '-e', `const m = await import('arbiter'); console.log(JSON.stringify(Object.keys(m)));`],
      project,
    );
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toEqual(
      expect.arrayContaining([
        'evaluate',
        'REASON_CODES',
        'parseIntent',
        'parseMandate',
        'defaultMandate',
        'rebalance',
        'createFirewall',
        'openSqliteStore',
        'createPaperVenue',
        'createSyntheticMarket',
        'generateSigner',
        'ArbiterClient',
        'verifyCertificate',
        'VenueError',
      ]),
    );
  });

  it("runs the README's embedding example: a signed, verified ALLOW whose order fills on the paper venue", () => {
    writeFileSync(join(project, 'example.mjs'), readmeExample());
    const r = run(process.execPath, ['example.mjs'], project);
    expect(r.code, r.err).toBe(0);
    expect(r.out.trim()).toBe('ALLOW filled valid');
  });
});
