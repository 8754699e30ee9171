import { Command, CommanderError } from 'commander';
import { redactString } from '../core/audit/redact.js';
import { registerAgents } from './commands/agents.js';
import { registerApprovals } from './commands/approvals.js';
import { registerArena } from './commands/arena.js';
import { registerDb } from './commands/db.js';
import { registerHalt } from './commands/halt.js';
import { registerKeys } from './commands/keys.js';
import { registerLedger } from './commands/ledger.js';
import { registerMandate } from './commands/mandate.js';
import { registerMcp } from './commands/mcp.js';
import { registerRedteam } from './commands/redteam.js';
import { registerServe } from './commands/serve.js';
import { registerVenues } from './commands/venues.js';
import { registerVet } from './commands/vet.js';
import { registerWorker } from './commands/worker.js';
import { CliError } from './output.js';

export function buildProgram(): Command {
  const program = new Command('arbiter')
    .description('Arbiter: a fail-closed, signed pre-trade firewall for autonomous trading agents')
    .version('0.1.0')
    .showHelpAfterError();
  registerMandate(program);
  registerVet(program);
  registerKeys(program);
  registerHalt(program);
  registerLedger(program);
  registerRedteam(program);
  registerMcp(program);
  registerServe(program);
  registerAgents(program);
  registerApprovals(program);
  registerVenues(program);
  registerDb(program);
  registerArena(program);
  registerWorker(program);
  return program;
}

/** Runs the CLI. Errors print one redacted line with a code on stderr; never a stack trace. */
export async function main(argv: readonly string[]): Promise<void> {
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv as string[]);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode;
      return;
    }
    const err = e as Error & { code?: unknown };
    const code = typeof err.code === 'string' ? err.code : 'ERROR';
    const msg = err.message?.startsWith(`${code}:`) ? err.message : `${code}: ${err.message}`;
    process.stderr.write(`arbiter: ${redactString(msg)}\n`);
    process.exitCode = e instanceof CliError ? e.exitCode : 2;
  }
}
