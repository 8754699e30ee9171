import { readdirSync } from 'node:fs';
import type { Command } from 'commander';
import {
  haltPathKind,
  readHaltPath,
  removeHaltPath,
  runtimeRootId,
  writeHaltFile,
} from '../../adapters/runtime/halt-files.js';
import { RuntimeLayout } from '../../adapters/runtime/layout.js';
import { ApprovalService } from '../../services/approval-service.js';
import { type HaltFiles, type HaltScope, HaltService } from '../../services/halt-service.js';
import { HaltSweep } from '../../services/halt-sweep.js';
import { OrderService } from '../../services/order-service.js';
import type { AppContext } from '../context.js';
import { CliError, printJson } from '../output.js';
import { withContext } from '../run.js';

function scopeOf(o: { venue?: string; agent?: string }): HaltScope {
  if (o.agent && o.venue) throw new CliError('BAD_ARGUMENT', 'give --venue or --agent, not both (one scope per halt)');
  if (o.agent) return { kind: 'agent', agent: o.agent };
  if (o.venue) return { kind: 'venue', venue: o.venue };
  return { kind: 'global' };
}

/** The runtime root's HALT sentinels for the kill switch (global `live/HALT`, venue `live/<broker>/HALT`). */
export function runtimeHaltFiles(layout: RuntimeLayout): HaltFiles {
  return {
    rootId: runtimeRootId(layout),
    path: (s) => {
      if (s.kind === 'global') return layout.globalHalt();
      if (s.kind === 'agent') return null;
      try {
        return layout.brokerHalt(s.venue);
      } catch {
        return null; // a name that cannot be a runtime-root folder has no sentinel; the store still halts it
      }
    },
    read: readHaltPath,
    write: (path, body) =>
      writeHaltFile(path, {
        tripped_at: body.tripped_at ?? new Date().toISOString(),
        by: body.by ?? 'arbiter',
        reason: body.reason ?? '',
        ...body,
      }),
    remove: removeHaltPath,
    brokersWithHalt: () => {
      let names: string[];
      try {
        names = readdirSync(layout.live);
      } catch {
        return [];
      }
      return names.filter((n) => {
        try {
          return RuntimeLayout.broker(n) === n && haltPathKind(layout.brokerHalt(n)) !== null;
        } catch {
          return false;
        }
      });
    },
  };
}

/** The kill switch over one wired context (its sweep uses the same firewall, orders and approvals as every door). */
export function haltService(app: AppContext): HaltService {
  const orders = new OrderService(app.deps, app.firewall);
  const approvals = new ApprovalService(app.deps, app.firewall);
  const sweep = new HaltSweep(app.deps, orders, app.firewall, approvals, {
    accountId: app.settings.account,
    agentId: app.settings.agent,
  });
  return new HaltService(app.deps, runtimeHaltFiles(app.layout), sweep);
}

/** Long-running processes keep the store and the runtime root's HALT files in agreement, once a second. */
export function startHaltSync(halts: HaltService, everyMs = 1_000): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await halts.sync();
    } catch (e) {
      process.stderr.write(`arbiter: kill-switch sync failed: ${(e as Error).message}\n`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

export function registerHalt(program: Command): void {
  program
    .command('halt')
    .description(
      'kill switch: refuse every order that adds exposure, cancel resting orders, flatten if the mandate says so (global by default, or one venue / agent)',
    )
    .option('--reason <text>', 'why', 'manual halt')
    .option('--venue <venue>', 'halt one venue only')
    .option('--agent <id>', 'halt one agent only')
    .action(async (o) => {
      const scope = scopeOf(o);
      await withContext({}, async (app) => {
        const halts = haltService(app);
        await halts.sync();
        const answer = await halts.halt(scope, o.reason, 'cli');
        await app.ledger.checkpoint();
        printJson(answer);
      });
    });
  program
    .command('resume')
    .description('lift a halt (global by default, or one venue / agent); --breaker also resets the crash breaker')
    .option('--venue <venue>', 'resume one venue')
    .option('--agent <id>', 'resume one agent')
    .option('--breaker', 'reset the fleet-wide crash breaker')
    .action(async (o) => {
      const scope = scopeOf(o);
      await withContext({}, async (app) => {
        const halts = haltService(app);
        await halts.sync();
        let answer: Awaited<ReturnType<HaltService['resume']>>;
        try {
          answer = await halts.resume(scope, 'cli');
        } catch (e) {
          const err = e as Error & { code?: string };
          const code = err.code ?? 'RESUME_FAILED';
          throw new CliError(code, `${err.message.replace(`${code}: `, '')} — trading stays halted`, 1);
        }
        if (o.breaker) await halts.resetBreaker('cli');
        await app.ledger.checkpoint();
        printJson({ ...answer, breaker_reset: o.breaker === true });
      });
    });
}
