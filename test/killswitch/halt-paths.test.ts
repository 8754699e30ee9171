import { chmodSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuntimeLayout } from '../../src/adapters/runtime/layout.js';
import { cli, tempHome } from '../support/cli.js';

/** Every way a HALT path can exist. Each must halt, and `resume` must clear it without crashing. */
const VARIETIES: readonly { name: string; kind: string; make: (path: string, home: string) => void }[] = [
  { name: 'a file with a plain-text body', kind: 'file', make: (p) => writeFileSync(p, 'stop now\n') },
  { name: 'an empty file (`touch HALT`)', kind: 'file', make: (p) => writeFileSync(p, '') },
  {
    name: 'an unreadable file with a malformed body',
    kind: 'file',
    make: (p) => {
      writeFileSync(p, Buffer.from([0xff, 0xfe, 0x7b, 0x00]));
      chmodSync(p, 0o000);
    },
  },
  {
    name: 'a directory with something in it',
    kind: 'directory',
    make: (p) => {
      mkdirSync(p);
      writeFileSync(join(p, 'why.txt'), 'operator stop');
    },
  },
  {
    name: 'a symlink to a file',
    kind: 'symlink',
    make: (p, home) => {
      const target = join(home, 'halt-target.txt');
      writeFileSync(target, 'x');
      symlinkSync(target, p);
    },
  },
  { name: 'a dangling symlink', kind: 'symlink', make: (p, home) => symlinkSync(join(home, 'nowhere', 'HALT'), p) },
];

const vet = (home: string) =>
  cli(home, ['vet', '--agent', 'alice', '--symbol', 'BTC/USDT', '--side', 'buy', '--notional', '60']);

describe('every HALT path variety halts, and resume clears it without crashing (built CLI)', () => {
  let home: string;
  let layout: RuntimeLayout;

  beforeAll(() => {
    home = tempHome('arbiter-ks-paths-');
    expect(cli(home, ['mandate', 'init']).code).toBe(0);
    layout = new RuntimeLayout(home);
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  // The venue sentinel is checked by the same code: it is tried with the two kinds a plain existence check missed.
  for (const [where, pathOf, code, kinds] of [
    ['global live/HALT', () => layout.globalHalt(), 'HALTED_GLOBAL', VARIETIES],
    ['venue live/paper/HALT', () => layout.brokerHalt('paper'), 'HALTED_VENUE', [VARIETIES[3]!, VARIETIES[5]!]],
  ] as const) {
    for (const v of kinds) {
      it(`${where} as ${v.name}: refuses new exposure with ${code}; resume removes it and trading resumes`, () => {
        const path = pathOf();
        v.make(path, home);
        const refused = vet(home);
        expect(refused.code, `a ${v.kind} at ${path} must halt: ${refused.out}${refused.err}`).toBe(3);
        expect(JSON.parse(refused.out).reasons).toEqual([code]);

        const resume = cli(home, where.startsWith('venue') ? ['resume', '--venue', 'paper'] : ['resume']);
        expect(resume.code, `resume must not crash on a ${v.kind}: ${resume.err}`).toBe(0);
        expect(resume.err).not.toMatch(/ERR_|EISDIR|stack/i);
        const answer = JSON.parse(resume.out);
        expect(answer.was_halted).toBe(true);
        expect(answer.file_removed, 'the answer says what was removed').toEqual({ path, kind: v.kind });
        expect(lstatExists(path), 'the sentinel is gone, whatever it was').toBe(false);

        const allowed = vet(home);
        expect(allowed.code, `after resume the order passes: ${allowed.out}`).toBe(0);
      });
    }
  }

  it('a halt through Arbiter writes the sentinel with Vibe-Trading fields and survives `resume --venue` of another venue', () => {
    const halt = cli(home, ['halt', '--reason', 'desk stop']);
    expect(halt.code, halt.err).toBe(0);
    const body = JSON.parse(readFileSync(layout.globalHalt(), 'utf8'));
    expect(Object.keys(body).slice(0, 3), 'Vibe-Trading fields first').toEqual(['tripped_at', 'by', 'reason']);
    expect(body).toMatchObject({ by: 'cli', reason: 'desk stop' });
    expect(Number.isFinite(Date.parse(body.tripped_at))).toBe(true);
    expect(cli(home, ['resume', '--venue', 'binance']).code).toBe(0);
    expect(vet(home).code, 'clearing another scope leaves the global halt on').toBe(3);
    expect(cli(home, ['resume']).code).toBe(0);
    expect(vet(home).code).toBe(0);
  });
});

function lstatExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
