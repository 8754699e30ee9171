import { describe, expect, it } from 'vitest';
import { Harness } from '../app/redteam/harness.js';
import { RestingVenue } from '../app/redteam/resting-venue.js';
import { ApprovalService } from './approval-service.js';

function setup() {
  let venue: RestingVenue | null = null;
  const h = new Harness({
    venue: ({ clock }) => {
      venue = new RestingVenue(() => clock.now());
      return venue;
    },
    mandate: (m) => ({ ...m, arbiter: { ...m.arbiter, approval_threshold_usd: 300 } }),
  });
  return { h, venue: venue as unknown as RestingVenue, approvals: new ApprovalService(h.deps, h.firewall) };
}

describe('human approvals', () => {
  it('execute the approved order, and no other, even when the agent reused the approval id as a client order id', async () => {
    const { h, venue, approvals } = setup();
    try {
      const pending = await h.vet({ symbol: 'BTC/USDT', side: 'buy', notional: 400 }, { agent: 'ann', execute: true });
      expect(pending.certificate.payload.decision).toBe('PENDING_APPROVAL');
      const id = pending.approvalId!;
      h.clock.advance(5_000);
      const squat = await h.vet(
        { symbol: 'BTC/USDT', side: 'buy', notional: 20, client_order_id: id },
        { agent: 'ann', execute: true },
      );
      expect(squat.certificate.payload.decision).toBe('ALLOW');
      h.clock.advance(5_000);
      const d = await approvals.approve(id, 'operator');
      expect(d.ok && d.approval.status).toBe('executed');
      const exec = d.ok ? d.result : null;
      expect(exec?.replayed, 'the execution is its own verdict, not the squatted one').toBe(false);
      expect(exec?.certificate.payload.effective?.notional).toBeGreaterThan(350);
      expect(exec?.order?.quantity).toBeCloseTo(exec?.certificate.payload.effective?.quantity ?? 0, 12);
      expect(venue.orders.size, 'the small order and the approved one').toBe(2);
    } finally {
      await h.close();
    }
  });

  it('refuse an approval whose verdict is not the pending verdict of the same agent', async () => {
    const { h, approvals } = setup();
    try {
      const pending = await h.vet({ symbol: 'BTC/USDT', side: 'buy', notional: 400 }, { agent: 'ann', execute: true });
      const db = (h.store as unknown as { db: import('better-sqlite3').Database }).db;
      db.prepare("UPDATE approvals SET agent_id = 'bob' WHERE approval_id = ?").run(pending.approvalId);
      const d = await approvals.approve(pending.approvalId!, 'operator');
      expect(d.ok ? 'ok' : d.code).toBe('APPROVAL_TAMPERED');
    } finally {
      await h.close();
    }
  });

  it('finish an approval approved before a crash exactly once: the sweep executes it, a second sweep replays', async () => {
    const { h, venue, approvals } = setup();
    try {
      const pending = await h.vet({ symbol: 'BTC/USDT', side: 'buy', notional: 400 }, { agent: 'ann', execute: true });
      const id = pending.approvalId!;
      // The process died after marking it approved and before executing it.
      expect(await h.store.transitionApproval(id, 'pending', 'approved', 'operator', h.clock.now())).toBe(true);
      h.clock.advance(1_000);
      await Promise.all([approvals.sweep(), approvals.sweep()]);
      await approvals.sweep();
      expect((await h.store.approval(id))?.status).toBe('executed');
      expect(venue.orders.size, 'one order, however many sweeps ran').toBe(1);
    } finally {
      await h.close();
    }
  });

  it('fail an approval approved before a crash whose execution never started before it expired', async () => {
    const { h, venue, approvals } = setup();
    try {
      const pending = await h.vet({ symbol: 'BTC/USDT', side: 'buy', notional: 400 }, { agent: 'ann', execute: true });
      const id = pending.approvalId!;
      await h.store.transitionApproval(id, 'pending', 'approved', 'operator', h.clock.now());
      h.clock.advance(60 * 60_000);
      await approvals.sweep();
      expect((await h.store.approval(id))?.status).toBe('failed');
      expect(venue.orders.size).toBe(0);
    } finally {
      await h.close();
    }
  });
});
