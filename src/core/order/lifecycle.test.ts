import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  answerForError,
  canTransition,
  FINAL_STATES,
  isFinal,
  ORDER_STATES,
  type OrderRecord,
  type OrderState,
  planOutcome,
  stateOf,
  TRANSITIONS,
  utcDay,
  type VenueAnswer,
  type VenueStatus,
} from './lifecycle.js';

const order = (status: OrderState, filledQuantity = 0, reservation: OrderRecord['reservation'] = null) => ({
  status,
  filledQuantity,
  reservation,
});
const res = { quantity: 2, notional: 200 };
const venue = (status: VenueStatus, filledQuantity: number): VenueAnswer => ({
  kind: 'order',
  status,
  venueOrderId: 'v1',
  filledQuantity,
  avgPrice: filledQuantity > 0 ? 100 : null,
});

describe('order lifecycle: the transition table', () => {
  it('has no transition out of a final state, and every state can stay where it is', () => {
    for (const s of FINAL_STATES) expect(TRANSITIONS[s], s).toEqual([]);
    for (const s of ORDER_STATES) expect(canTransition(s, s), s).toBe(true);
  });

  it('reaches unknown only from forwarding, and leaves it only for states the venue reports', () => {
    const into = ORDER_STATES.filter((s) => s !== 'unknown' && TRANSITIONS[s].includes('unknown'));
    expect(into).toEqual(['forwarding']);
    expect(TRANSITIONS.unknown).not.toContain('forwarding');
  });

  it('reads rows written before the lifecycle: failed and rejected are rejected_by_venue', () => {
    expect(stateOf('failed')).toBe('rejected_by_venue');
    expect(stateOf('rejected')).toBe('rejected_by_venue');
    expect(stateOf('partially_filled')).toBe('partially_filled');
  });
});

describe('order lifecycle: one answer', () => {
  const cases: [string, OrderRecord, VenueAnswer, Partial<ReturnType<typeof planOutcome>>][] = [
    [
      'a fill of a forwarded order releases its reservation and keeps its count',
      order('forwarding', 0, res),
      venue('filled', 2),
      { status: 'filled', final: true, fillDelta: 2, reservation: { kind: 'release' }, uncount: false },
    ],
    [
      'a partial fill shrinks the reservation to the unfilled share',
      order('forwarding', 0, res),
      venue('partially_filled', 0.5),
      { status: 'partially_filled', reservation: { kind: 'shrink', quantity: 1.5, notional: 150 } },
    ],
    [
      'a venue refusal ends the order, releases it, uncounts the trade and frees the duplicate key',
      order('forwarding', 0, res),
      { kind: 'refused', code: 'INVALID_ORDER', message: 'no' },
      { status: 'rejected_by_venue', reservation: { kind: 'release' }, uncount: true, unpass: true },
    ],
    [
      'a post-only order the venue rejects on arrival counts nothing',
      order('forwarding', 0, res),
      venue('rejected', 0),
      { status: 'rejected_by_venue', uncount: true, unpass: true },
    ],
    [
      'a timeout leaves the order unknown, its reservation and count kept',
      order('forwarding', 0, res),
      { kind: 'no_answer', code: 'TIMEOUT', message: 't' },
      { status: 'unknown', changed: true, reservation: { kind: 'keep' }, uncount: false, code: 'TIMEOUT' },
    ],
    [
      'a failed lookup does not resolve an unknown order',
      order('unknown', 0, res),
      { kind: 'no_answer', code: 'EXCHANGE_DOWN', message: 'down' },
      { status: 'unknown', changed: false },
    ],
    [
      'an unknown order the venue has never seen ends as never placed',
      order('unknown', 0, res),
      { kind: 'not_found', code: 'NEVER_REACHED_VENUE', message: 'no such order' },
      { status: 'rejected_by_venue', uncount: true, code: 'NEVER_REACHED_VENUE' },
    ],
    [
      'an unknown order the venue filled is filled',
      order('unknown', 0, res),
      venue('filled', 2),
      { status: 'filled', fillDelta: 2, uncount: false },
    ],
    [
      'a lookup that misses an order the venue already showed changes nothing',
      order('open', 0, res),
      { kind: 'not_found', code: 'NEVER_REACHED_VENUE', message: 'x' },
      { status: 'open', changed: false },
    ],
    [
      'a resting order the venue later reports rejected ended unfilled there: cancelled, still counted',
      order('open', 0, res),
      venue('rejected', 0),
      { status: 'cancelled', uncount: false, reservation: { kind: 'release' } },
    ],
    [
      'a partially filled order reported open again keeps its state and its fills',
      order('partially_filled', 1, res),
      venue('open', 0),
      { status: 'partially_filled', filledQuantity: 1, fillDelta: 0 },
    ],
    [
      'a report about a filled order changes nothing',
      order('filled', 2, null),
      venue('cancelled', 2),
      { changed: false, status: 'filled' },
    ],
  ];
  for (const [name, o, a, expected] of cases) {
    it(name, () => {
      expect(planOutcome(o, a)).toMatchObject(expected);
    });
  }

  it('maps venue errors: refusals end the order, anything else leaves its fate unknown', () => {
    for (const code of ['INVALID_ORDER', 'INSUFFICIENT_BALANCE', 'AUTH_FAILED', 'RATE_LIMITED'])
      expect(answerForError(code, '').kind, code).toBe('refused');
    for (const code of ['TIMEOUT', 'EXCHANGE_DOWN', 'UNKNOWN', 'ORDER_NOT_FOUND'])
      expect(answerForError(code, '').kind, code).toBe('no_answer');
  });
});

const answerArb: fc.Arbitrary<VenueAnswer> = fc.oneof(
  fc.record({
    kind: fc.constant('order' as const),
    status: fc.constantFrom<VenueStatus>('open', 'partially_filled', 'filled', 'cancelled', 'rejected', 'expired'),
    venueOrderId: fc.constant('v'),
    filledQuantity: fc.double({ min: 0, max: 3, noNaN: true }),
    avgPrice: fc.constant(100),
  }),
  fc.record({ kind: fc.constant('refused' as const), code: fc.constant('INVALID_ORDER'), message: fc.constant('') }),
  fc.record({ kind: fc.constant('not_found' as const), code: fc.constant('NEVER'), message: fc.constant('') }),
  fc.record({ kind: fc.constant('no_answer' as const), code: fc.constant('TIMEOUT'), message: fc.constant('') }),
);

/** A store that executes plans as both stores do: the reservation as made, what is left of it, the count. */
function replay(answers: readonly VenueAnswer[], made = { quantity: 2, notional: 200 }) {
  let rec: OrderRecord = { status: 'forwarding', filledQuantity: 0, reservation: made };
  let left: number | null = made.notional;
  let releases = 0;
  let uncounts = 0;
  let deltas = 0;
  const trail: { before: OrderRecord; plan: ReturnType<typeof planOutcome>; left: number | null }[] = [];
  for (const a of answers) {
    const before = rec;
    const plan = planOutcome(rec, a);
    if (plan.changed) {
      if (plan.reservation.kind === 'release' && left !== null) {
        releases += 1;
        left = null;
      } else if (plan.reservation.kind === 'shrink') left = plan.reservation.notional;
      if (plan.uncount) uncounts += 1;
      deltas += plan.fillDelta;
      rec = {
        status: plan.status,
        filledQuantity: plan.filledQuantity,
        reservation: left === null ? null : rec.reservation,
      };
    }
    trail.push({ before, plan, left });
  }
  return { rec, releases, uncounts, deltas, left, trail };
}

describe('order lifecycle: properties over any sequence of venue answers', () => {
  const answers = fc.array(answerArb, { maxLength: 12 });

  it('never leaves a final state', () => {
    fc.assert(
      fc.property(answers, (as) => {
        for (const { before, plan } of replay(as).trail)
          if (isFinal(before.status)) expect(plan.changed, `${before.status} moved`).toBe(false);
      }),
    );
  });

  it('resolves an unknown order only from an answer of the venue', () => {
    fc.assert(
      fc.property(answers, (as) => {
        for (const { before, plan } of replay(as).trail)
          if (before.status === 'unknown' && plan.status !== 'unknown') expect(plan.changed).toBe(true);
        const lone = planOutcome(order('unknown', 0, res), { kind: 'no_answer', code: 'TIMEOUT', message: '' });
        expect(lone.status).toBe('unknown');
      }),
    );
  });

  it('keeps reservations between zero and what was reserved, released at most once and always once final', () => {
    fc.assert(
      fc.property(answers, (as) => {
        const r = replay(as);
        expect(r.releases).toBeLessThanOrEqual(1);
        for (const { left } of r.trail) if (left !== null) expect(left >= 0 && left <= 200).toBe(true);
        if (isFinal(r.rec.status)) expect(r.left, 'a final order keeps a reservation').toBeNull();
      }),
    );
  });

  it('only grows fills, and the fill deltas add up to what is recorded filled', () => {
    fc.assert(
      fc.property(answers, (as) => {
        const r = replay(as);
        let last = 0;
        for (const { plan } of r.trail) {
          expect(plan.fillDelta).toBeGreaterThanOrEqual(0);
          if (plan.changed) {
            expect(plan.filledQuantity).toBeGreaterThanOrEqual(last);
            last = plan.filledQuantity;
          }
        }
        expect(r.deltas).toBeCloseTo(r.rec.filledQuantity, 12);
      }),
    );
  });

  it('takes a trade off the count at most once, and only for an order that never filled', () => {
    fc.assert(
      fc.property(answers, (as) => {
        const r = replay(as);
        expect(r.uncounts).toBeLessThanOrEqual(1);
        if (r.uncounts === 1) expect(r.rec.filledQuantity).toBe(0);
      }),
    );
  });
});

describe('utcDay', () => {
  it('is the UTC calendar date, at day edges too', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), (ms) => {
        expect(utcDay(ms)).toBe(new Date(ms).toISOString().slice(0, 10));
        expect(utcDay(ms - 1)).toBe(new Date(ms - 1).toISOString().slice(0, 10));
      }),
    );
  });
});
