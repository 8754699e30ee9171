import { describe, expect, it } from 'vitest';
import { cliDoor, type Door, describeAnswer, httpDoor } from './support/doors.js';
import { addAgent } from './support/homes.js';
import { snapshot } from './support/inspect.js';
import { servedHome } from './support/lifecycle.js';

/**
 * Case 9 of issue 12 (observation 1 of issue 17): two agents trading one account each own their client order ids.
 * Agent B sending a different order under agent A's id gets its own verdict and its own order; it never receives A's
 * certificate, agent id or size, and both orders exist at the venue.
 */
const installation = servedHome();

const DOORS: readonly [string, string, (agent: string) => Promise<Door>][] = [
  [
    'HTTP REST (two tokens, one account)',
    'http',
    async (agent) => httpDoor(installation.serve, await addAgent(installation.home, agent)),
  ],
  ['the CLI (two agents, one account)', 'cli', async (agent) => cliDoor(installation.home, agent)],
];

describe.each(DOORS)('client order ids over %s', (door, tag, open) => {
  it("gives agent B its own verdict and order when it uses agent A's client order id", async () => {
    const [a, b] = [`alice-${tag}`, `bob-${tag}`];
    const [doorA, doorB] = [await open(a), await open(b)];
    const id = `shared-${tag}-z`;
    const mine = await doorA.place({ symbol: 'BTC/USDT', side: 'buy', notional: 60, client_order_id: id });
    expect(mine.order?.status, `${door}: setup: agent A's order was not filled: ${describeAnswer(mine)}`).toBe(
      'filled',
    );

    const theirs = await doorB.place({ symbol: 'ETH/USDT', side: 'buy', notional: 85, client_order_id: id });
    const what = `${door}: agent B, reusing agent A's id for a different order, got ${describeAnswer(theirs)}`;
    const p = theirs.certificate?.payload;
    expect.soft(p?.agent_id, `${what} (a certificate for another agent)`).toBe(b);
    expect.soft(p?.id, `${what} (agent A's certificate)`).not.toBe(mine.certificate?.payload.id);
    expect
      .soft((p?.intent as { symbol?: string } | undefined)?.symbol, `${what} (another order's intent)`)
      .toBe('ETH/USDT');
    expect
      .soft(theirs.raw.includes(mine.certificate?.payload.id ?? '\u0000'), `${what} (A's verdict id leaked)`)
      .toBe(false);
    expect.soft(theirs.replayed, `${what} (B never traded: nothing to replay)`).toBe(false);
    expect.soft(theirs.decision, what).toBe('ALLOW');
    expect.soft(theirs.order?.symbol, `${what} (B's own order must be placed)`).toBe('ETH/USDT');
    expect.soft(theirs.order?.orderId, `${what} (A's order handed to B)`).not.toBe(mine.order?.orderId);

    const venue = (await snapshot(installation.home)).paper?.orders ?? [];
    expect
      .soft(
        venue.some((o) => o.orderId === mine.order?.orderId && o.symbol === 'BTC/USDT'),
        `${door}: agent A's order is missing at the venue`,
      )
      .toBe(true);
    expect
      .soft(
        venue.some((o) => o.symbol === 'ETH/USDT' && o.status === 'filled' && o.orderId !== mine.order?.orderId),
        `${door}: agent B's order never reached the venue (venue holds ${venue.map((o) => `${o.orderId} ${o.symbol}`).join(', ')})`,
      )
      .toBe(true);
  }, 120_000);
});
