import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RuntimeLayout } from '../../src/adapters/runtime/layout.js';
import { BIN, tempHome } from '../support/cli.js';
import { freePort, stopServe } from '../support/mcp.js';
import { http } from './support.js';

interface Run {
  readonly child: ChildProcess;
  out: string;
  err: string;
  readonly done: Promise<number | null>;
}

function start(home: string, args: readonly string[]): Run {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, ARBITER_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run: Run = {
    child,
    out: '',
    err: '',
    done: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
  };
  child.stdout!.on('data', (d) => {
    run.out += d;
  });
  child.stderr!.on('data', (d) => {
    run.err += d;
  });
  return run;
}

async function healthy(base: string, run: Run): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (run.child.exitCode !== null) throw new Error(`serve exited: ${run.err}`);
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`serve did not start: ${run.err}`);
}

describe('a fresh home, ten processes starting at once', () => {
  const homes: string[] = [];
  const servers: ChildProcess[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => stopServe(s)));
    for (const h of homes) rmSync(h, { recursive: true, force: true });
  });

  it('ends with one issuer key and one admin token, and every process uses them', async () => {
    const home = tempHome('arbiter-race-');
    homes.push(home);
    const ports = await Promise.all(Array.from({ length: 5 }, () => freePort()));
    // Everything is spawned before anything is awaited: the ten processes race for the same fresh files.
    const pubkeys = Array.from({ length: 5 }, () => start(home, ['pubkey']));
    const serves = ports.map((p) => start(home, ['serve', '--port', String(p)]));
    servers.push(...serves.map((s) => s.child));

    const codes = await Promise.all(pubkeys.map((p) => p.done));
    expect(codes, pubkeys.map((p) => p.err).join('\n')).toEqual([0, 0, 0, 0, 0]);
    await Promise.all(serves.map((s, i) => healthy(`http://127.0.0.1:${ports[i]}`, s)));

    const layout = new RuntimeLayout(home);
    expect(readdirSync(layout.keysDir()).sort(), 'no second key and no temporary file left behind').toEqual([
      'admin.token',
      'issuer.key',
      'issuer.pub',
    ]);
    const keyIds = new Set(pubkeys.map((p) => JSON.parse(p.out).key_id as string));
    for (const [i, port] of ports.entries()) {
      const k = await http(`http://127.0.0.1:${port}`, 'GET', '/v1/pubkey');
      expect(k.status, serves[i]!.err).toBe(200);
      keyIds.add(k.body.key_id);
    }
    expect([...keyIds], 'every process signs with the same key').toHaveLength(1);
    const pub = readFileSync(layout.issuerPub(), 'utf8').trim();
    expect(pub).toBe(JSON.parse(pubkeys[0]!.out).public_key);

    const token = readFileSync(join(layout.keysDir(), 'admin.token'), 'utf8').trim();
    const printed = serves.map((s) => /admin token[^:]*: (\S+)/.exec(s.err)?.[1]).filter(Boolean);
    expect(printed, 'the token is printed once, by the process that created it').toEqual([token]);
    for (const [i, port] of ports.entries()) {
      const r = await http(`http://127.0.0.1:${port}`, 'GET', '/v1/audit?limit=1', { token });
      expect(r.status, `server ${i} accepts the token on disk: ${r.text}`).toBe(200);
    }
  }, 180_000);

  it('verdicts signed by the racing processes all verify against the one key, and so does the ledger', async () => {
    const home = tempHome('arbiter-race-');
    homes.push(home);
    const vets = Array.from({ length: 10 }, (_, i) =>
      start(home, ['vet', '--agent', `a${i}`, '--symbol', 'BTC/USDT', '--side', 'buy', '--notional', String(50 + i)]),
    );
    const codes = await Promise.all(vets.map((v) => v.done));
    // No mandate yet: every vet is a signed REJECT MANDATE_MISSING (exit 3), which is all this needs.
    expect(codes, vets.map((v) => v.err).join('\n')).toEqual(Array(10).fill(3));
    const keyIds = new Set(vets.map((v) => JSON.parse(v.out).certificate.payload.issuer.key_id as string));
    expect([...keyIds]).toHaveLength(1);
    const ledger = start(home, ['ledger', 'verify']);
    expect(await ledger.done, ledger.out + ledger.err).toBe(0);
  }, 180_000);
});
