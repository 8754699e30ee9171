import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlpacaEmulator } from '../emulator/alpaca.js';
import { cliAsync, tempHome } from '../support/cli.js';

/** The built CLI as its own process, on the Alpaca emulator (`npm run build` first). */
describe('arbiter venues check --venue alpaca (built CLI, Alpaca emulator)', () => {
  let emu: AlpacaEmulator;
  let home: string;
  beforeAll(async () => {
    emu = await AlpacaEmulator.start();
    home = tempHome();
  });
  afterAll(async () => {
    await emu.close();
    rmSync(home, { recursive: true, force: true });
  });

  const check = (secret: string) =>
    cliAsync(home, ['venues', 'check', '--venue', 'alpaca'], {
      ARBITER_VENUE_URL: emu.url,
      ARBITER_ALPACA_API_KEY: emu.keys.apiKey,
      ARBITER_ALPACA_API_SECRET: secret,
    });

  it('reads the paper account with the keys from the environment and prints neither key', async () => {
    const r = await check(emu.keys.secret);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).venues).toEqual([
      {
        venue: 'alpaca',
        mode: 'testnet',
        present: { apiKey: true, secret: true, passphrase: false, passphraseRequired: false, source: 'env' },
        read: true,
        trade: null,
        error: null,
      },
    ]);
    expect(r.out + r.err).not.toContain(emu.keys.secret);
    expect(r.out + r.err).not.toContain(emu.keys.apiKey);
    const seen = emu.requests.find((q) => q.path === '/v2/account');
    expect(seen?.headers['apca-api-key-id'], 'the key id travels in Alpaca’s header').toBe(emu.keys.apiKey);
  });

  it('reports a wrong secret as AUTH_FAILED without printing it', async () => {
    const r = await check('wrong-secret-0123456789');
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).venues[0]).toMatchObject({ read: false, trade: false, error: 'AUTH_FAILED' });
    expect(r.out + r.err).not.toContain('wrong-secret-0123456789');
  });
});
