import { describe, expect, it } from 'vitest';
import {
  type Answer,
  cliDoor,
  type Door,
  describeAnswer,
  httpDoor,
  type Intent,
  mcpHttpDoor,
  mcpStdioDoor,
} from './support/doors.js';
import { recordFigures } from './support/figures.js';
import { addAgent } from './support/homes.js';
import { servedHome } from './support/lifecycle.js';

/**
 * Case 6 of issue 12: the natural agent flow — vet, then place the same order — through every door, with and
 * without a client order id. The mandate is `arbiter mandate init`'s default (duplicate window 3 s, throttle 5 per
 * second per agent): a dry run must not fill the duplicate window, the throttle or the client-order-id binding.
 */
const installation = servedHome();
let agents = 0;

/** Each test acts as a new agent, so one test's throttle and duplicate window never meet another's. */
type DoorMaker = (agent: string) => Promise<Door>;
const DOORS: readonly [string, DoorMaker][] = [
  ['MCP over stdio', (agent) => mcpStdioDoor(installation.home, agent)],
  [
    'MCP over Streamable HTTP',
    async (agent) => mcpHttpDoor(installation.serve, await addAgent(installation.home, agent)),
  ],
  [
    'HTTP REST (POST /v1/vet, then POST /v1/orders)',
    async (agent) => httpDoor(installation.serve, await addAgent(installation.home, agent)),
  ],
  ['the CLI (arbiter vet, then arbiter vet --execute)', async (agent) => cliDoor(installation.home, agent)],
];

function expectPlacedAndFilled(placed: Answer, vetted: Answer | null, door: string): void {
  // Soft: each claim is reported on its own, so one run shows everything that broke.
  const what = `${door}: the real order after a dry run got ${describeAnswer(placed)}`;
  expect.soft(placed.decision, what).toBe('ALLOW');
  expect.soft(placed.reasons, `${what} (a dry run must not fill the duplicate window or the throttle)`).toEqual([]);
  expect.soft(placed.replayed, `${what} (a dry run binds no client order id, so nothing is replayed)`).toBe(false);
  expect.soft(placed.order, `${what} (an allowed order is sent: the agent must get the venue order)`).not.toBeNull();
  expect.soft(placed.order?.status, what).toBe('filled');
  expect.soft(placed.certificate?.payload.dry_run, `${door}: the real order's certificate says dry_run`).not.toBe(true);
  if (vetted)
    expect
      .soft(placed.certificate?.payload.id, `${door}: the real order was answered with the dry run's certificate`)
      .not.toBe(vetted.certificate?.payload.id);
}

describe.each(DOORS)('vet, then place, over %s', (door, open) => {
  it.each([
    ['without a client order id', false],
    ['with a client order id', true],
  ])(
    'places and fills the real order after a dry run of the same order %s',
    async (_label, withId) => {
      const agent = `vp-${++agents}`;
      const d = await open(agent);
      const intent: Intent = {
        symbol: 'BTC/USDT',
        side: 'buy',
        notional: 50 + agents,
        ...(withId ? { client_order_id: `${agent}-order-1` } : {}),
      };
      const vetted = await d.vet(intent);
      const placed = await d.place(intent);
      expect.soft(vetted.decision, `${door}: the dry run: ${describeAnswer(vetted)}`).toBe('ALLOW');
      expect.soft(vetted.order, `${door}: a dry run never trades`).toBeNull();
      expectPlacedAndFilled(placed, vetted, door);
      expect
        .soft(
          vetted.certificate?.payload.dry_run,
          `${door}: the dry run's certificate must say it is a dry run (payload.dry_run === true)`,
        )
        .toBe(true);
    },
    120_000,
  );

  it('does not throttle the real order after five dry runs within a second', async () => {
    const agent = `vp-${++agents}`;
    const d = await open(agent);
    // Five different sizes (none a duplicate of another or of the real order), all sent at once.
    const vets = await Promise.all(
      [40, 41, 42, 43, 44].map((n) => d.vet({ symbol: 'ETH/USDT', side: 'buy', notional: n })),
    );
    // Whatever a dry run decides (under load the CLI's may be refused for the quote's time), it must not throttle.
    for (const v of vets) expect(v.decision, `${door}: a dry run got no verdict: ${describeAnswer(v)}`).not.toBeNull();
    const issued = vets.map((v) => Date.parse(v.certificate?.payload.issued_at ?? ''));
    const placed = await d.place({ symbol: 'ETH/USDT', side: 'buy', notional: 45 });
    const window = Date.parse(placed.certificate?.payload.issued_at ?? '') - Math.min(...issued);
    // Over the CLI five processes may not all decide within the second before the sixth: the window says whether
    // this run could show a throttle at all.
    recordFigures(`vet-then-place/throttle/${door}`, { window_ms: window, real_order: describeAnswer(placed) });
    expect
      .soft(
        placed.reasons.filter((r) => r.startsWith('THROTTLE')),
        `${door}: five dry runs (the earliest issued ${window} ms before the real order) throttled it: ${describeAnswer(placed)}`,
      )
      .toEqual([]);
    expectPlacedAndFilled(placed, null, door);
  }, 120_000);
});
