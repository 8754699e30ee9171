import { describe, expect, it } from 'vitest';
import { cliDoor, type Door, describeAnswer, httpDoor } from './support/doors.js';
import { addAgent } from './support/homes.js';
import { snapshot } from './support/inspect.js';
import { verdictsOf } from './support/ledger-facts.js';
import { servedHome } from './support/lifecycle.js';

/**
 * Case 8 of issue 12: a client order id makes a retry idempotent. The same id with the same content returns the
 * original order (never `order: null`) and sends nothing new; the same id with different content is refused
 * (REJECT CLIENT_ORDER_ID_REUSED), the refusal is in the ledger, and the original order is untouched. The mandate
 * is `arbiter mandate init`'s default (a retry comes within the 3 s duplicate window).
 */
const installation = servedHome();

const DOORS: readonly [string, string, (agent: string) => Promise<Door>][] = [
  [
    'HTTP REST (POST /v1/orders)',
    'replay-http',
    async (agent) => httpDoor(installation.serve, await addAgent(installation.home, agent)),
  ],
  ['the CLI (arbiter vet --execute)', 'replay-cli', async (agent) => cliDoor(installation.home, agent)],
];

describe.each(DOORS)('a client order id over %s', (door, agent, open) => {
  it('replays the original order for the same content and refuses, records and leaves alone a different one', async () => {
    const d = await open(agent);
    const id = `${agent}-x`;
    const first = await d.place({ symbol: 'BTC/USDT', side: 'buy', notional: 60, client_order_id: id });
    expect(first.order?.status, `${door}: setup: the first order was not filled: ${describeAnswer(first)}`).toBe(
      'filled',
    );
    const placedBefore = (await snapshot(installation.home)).paper?.seq;

    const again = await d.place({ symbol: 'BTC/USDT', side: 'buy', notional: 60, client_order_id: id });
    const what = `${door}: the retry got ${describeAnswer(again)}`;
    expect.soft(again.replayed, `${what} (it must say it is a replay)`).toBe(true);
    expect.soft(again.order, `${what} (a replay returns the original order, never null)`).not.toBeNull();
    expect.soft(again.order?.orderId, `${what} (not the original order)`).toBe(first.order?.orderId);
    expect
      .soft(again.certificate?.payload.id, `${what} (not the original verdict)`)
      .toBe(first.certificate?.payload.id);
    expect
      .soft((await snapshot(installation.home)).paper?.seq, `${door}: the retry sent another order to the venue`)
      .toBe(placedBefore);

    const other = await d.place({ symbol: 'BTC/USDT', side: 'buy', notional: 75, client_order_id: id });
    const said = `${door}: the same id with different content got ${describeAnswer(other)}`;
    expect.soft(other.decision, said).toBe('REJECT');
    expect.soft(other.reasons, said).toContain('CLIENT_ORDER_ID_REUSED');
    expect.soft(other.order, `${said} (a refusal carries no order)`).toBeNull();
    const s = await snapshot(installation.home);
    const recorded = verdictsOf(s.ledger).find((v) => v.id === other.certificate?.payload.id);
    expect
      .soft(
        recorded &&
          !recorded.dryRun &&
          recorded.decision === 'REJECT' &&
          recorded.reasons.includes('CLIENT_ORDER_ID_REUSED'),
        `${said}; the ledger must hold that refusal as its own verdict record (found ${
          recorded ? `${recorded.decision} [${recorded.reasons}]` : 'no record'
        })`,
      )
      .toBe(true);
    const original = s.paper?.orders.find((o) => o.orderId === first.order?.orderId);
    expect.soft(s.paper?.seq, `${door}: the different order reached the venue`).toBe(placedBefore);
    expect
      .soft(
        original && { status: original.status, filled: original.filledQuantity },
        `${door}: the original order at the venue changed`,
      )
      .toEqual({ status: 'filled', filled: first.order?.filledQuantity });
    expect
      .soft(
        s.orders.find((o) => o.verdict_id === first.certificate?.payload.id)?.status,
        `${door}: the original order's record in the store changed`,
      )
      .toBe('filled');
  }, 120_000);
});
