import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type EmulatedVenue, startEmulator } from './index.js';
import type { VenueEmulator } from './server.js';
import type { EmuCredentials } from './types.js';

/**
 * The emulator checks each venue's documented signing scheme on its own, not by trusting ccxt: a request signed
 * here by hand (independently of ccxt) is accepted, and the same request altered after signing is refused with the
 * venue's own error code.
 */

const hmac = (secret: string, payload: string, enc: 'hex' | 'base64') =>
  createHmac('sha256', secret).update(payload).digest(enc);

interface Signed {
  readonly url: string;
  readonly headers: Record<string, string>;
}

/** A signed balance read, per the venue's API documentation. */
const SIGNERS: Record<EmulatedVenue, (base: string, c: EmuCredentials, query: string) => Signed> = {
  bybit: (base, c, query) => {
    const ts = String(Date.now());
    const sign = hmac(c.secret, `${ts}${c.apiKey}5000${query}`, 'hex');
    const headers = {
      'X-BAPI-API-KEY': c.apiKey,
      'X-BAPI-TIMESTAMP': ts,
      'X-BAPI-RECV-WINDOW': '5000',
      'X-BAPI-SIGN': sign,
    };
    return { url: `${base}/v5/account/wallet-balance?${query}`, headers };
  },
  binance: (base, c, query) => {
    const signed = `${query}&timestamp=${Date.now()}`;
    const url = `${base}/fapi/v3/account?${signed}&signature=${hmac(c.secret, signed, 'hex')}`;
    return { url, headers: { 'X-MBX-APIKEY': c.apiKey } };
  },
  okx: (base, c, query) => {
    const ts = new Date().toISOString();
    const path = `/api/v5/account/balance?${query}`;
    const sign = hmac(c.secret, `${ts}GET${path}`, 'base64');
    const headers = {
      'OK-ACCESS-KEY': c.apiKey,
      'OK-ACCESS-SIGN': sign,
      'OK-ACCESS-TIMESTAMP': ts,
      'OK-ACCESS-PASSPHRASE': c.passphrase!,
    };
    return { url: `${base}${path}`, headers };
  },
  bitget: (base, c, query) => {
    const ts = String(Date.now());
    const path = `/api/v2/mix/account/accounts?${query}`;
    const sign = hmac(c.secret, `${ts}GET${path}`, 'base64');
    const headers = {
      'ACCESS-KEY': c.apiKey,
      'ACCESS-SIGN': sign,
      'ACCESS-TIMESTAMP': ts,
      'ACCESS-PASSPHRASE': c.passphrase!,
    };
    return { url: `${base}${path}`, headers };
  },
};

const QUERY: Record<EmulatedVenue, string> = {
  bybit: 'accountType=UNIFIED',
  binance: 'recvWindow=5000',
  okx: 'ccy=USDT',
  bitget: 'productType=USDT-FUTURES',
};

/** The venue's auth-failure code as it appears in the body. */
const REFUSED: Record<EmulatedVenue, RegExp> = {
  bybit: /"retCode":10004/,
  binance: /"code":-1022/,
  okx: /"code":"50113"/,
  bitget: /"code":"40009"/,
};

describe.each(Object.keys(SIGNERS) as EmulatedVenue[])('the %s emulator signature check', (name) => {
  let emu: VenueEmulator;
  afterEach(async () => {
    await emu.close();
  });

  it('accepts a request signed by hand per the documented scheme and refuses it once altered', async () => {
    emu = await startEmulator(name);
    const { url, headers } = SIGNERS[name](emu.url, emu.options.credentials, QUERY[name]);
    const good = await fetch(url, { headers });
    expect(good.status).toBe(200);
    expect(await good.text()).not.toMatch(REFUSED[name]);
    // Appending a parameter after signing must break the signature.
    const altered = await fetch(url.replace(QUERY[name], `${QUERY[name]}&x=1`), { headers });
    expect(await altered.text()).toMatch(REFUSED[name]);
    expect(emu.requests.map((r) => r.authFailed)).toEqual([false, true]);
  });
});
