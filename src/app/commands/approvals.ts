import type { Command } from 'commander';
import { approvalView } from '../../services/approval-service.js';
import { printJson } from '../output.js';
import { withContext } from '../run.js';
import { buildServices } from '../services.js';

/** The human's side of approvals: out of band, never reachable by an agent's tools. */
export function registerApprovals(program: Command): void {
  const a = program.command('approvals').description('orders waiting for a human (PENDING_APPROVAL)');
  a.command('list')
    .description('list approvals (pending first)')
    .option('--all', 'include decided ones')
    .action(async (o) => {
      await withContext({}, async (app) => {
        const s = buildServices(app);
        await s.approvals.sweep();
        printJson({ approvals: (await s.approvals.list(o.all ? undefined : 'pending')).map(approvalView) });
      });
    });
  for (const verb of ['approve', 'reject'] as const) {
    a.command(`${verb} <id>`)
      .description(verb === 'approve' ? 'approve: re-vet against a fresh quote and execute' : 'reject: never executes')
      .action(async (id: string) => {
        await withContext({}, async (app) => {
          const s = buildServices(app);
          if (verb === 'approve') await s.halts.sync(); // a HALT file tripped or cleared since counts
          const r = verb === 'approve' ? await s.approvals.approve(id, 'cli') : await s.approvals.reject(id, 'cli');
          await app.ledger.checkpoint();
          if (!r.ok) {
            printJson({ error: r.code, message: r.message });
            process.exitCode = 3;
            return;
          }
          const p = r.result?.certificate.payload;
          printJson({
            approval: approvalView(r.approval),
            ...(p
              ? {
                  decision: p.decision,
                  reasons: p.reasons.map((x) => x.code),
                  order: r.result?.order ?? null,
                  certificate: r.result?.certificate,
                }
              : {}),
          });
        });
      });
  }
}
