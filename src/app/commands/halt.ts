import type { Command } from 'commander';
import type { RuntimeLayout } from '../../adapters/runtime/layout.js';
import { removeHaltFile, writeHaltFile } from '../../adapters/runtime/sentinels.js';
import { type HaltScope, HaltService } from '../../services/halt-service.js';
import type { AppContext } from '../context.js';
import { printJson } from '../output.js';
import { withContext } from '../run.js';

function scopeOf(o: { venue?: string; agent?: string }): HaltScope {
  if (o.agent) return { kind: 'agent', agent: o.agent };
  if (o.venue) return { kind: 'venue', venue: o.venue };
  return { kind: 'global' };
}

export function haltService(app: AppContext): HaltService {
  const layout: RuntimeLayout = app.layout;
  return new HaltService(app.deps, {
    sentinelPath: (s) =>
      s.kind === 'global' ? layout.globalHalt() : s.kind === 'venue' ? layout.brokerHalt(s.venue) : null,
    write: writeHaltFile,
    remove: removeHaltFile,
  });
}

export function registerHalt(program: Command): void {
  program
    .command('halt')
    .description('kill switch: refuse every order that adds exposure (global by default, or one venue / agent)')
    .option('--reason <text>', 'why', 'manual halt')
    .option('--venue <venue>', 'halt one venue only')
    .option('--agent <id>', 'halt one agent only')
    .action(async (o) => {
      await withContext({}, async (app) => {
        const scope = scopeOf(o);
        await haltService(app).halt(scope, o.reason, 'cli');
        await app.ledger.checkpoint();
        printJson({ halted: true, scope, reason: o.reason });
      });
    });
  program
    .command('resume')
    .description('lift a halt (global by default, or one venue / agent); --breaker also resets the crash breaker')
    .option('--venue <venue>', 'resume one venue')
    .option('--agent <id>', 'resume one agent')
    .option('--breaker', 'reset the fleet-wide crash breaker')
    .action(async (o) => {
      await withContext({}, async (app) => {
        const svc = haltService(app);
        const scope = scopeOf(o);
        const lifted = await svc.resume(scope, 'cli');
        if (o.breaker) await svc.resetBreaker('cli');
        await app.ledger.checkpoint();
        printJson({ resumed: true, scope, was_halted: lifted, breaker_reset: o.breaker === true });
      });
    });
}
