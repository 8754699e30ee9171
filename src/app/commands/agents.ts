import type { Command } from 'commander';
import { AGENT_TOKEN_PREFIX, newToken, tokenHash } from '../../transport/http/auth.js';
import { nameProblem } from '../names.js';
import { printJson } from '../output.js';
import { withContext } from '../run.js';

export function registerAgents(program: Command): void {
  const a = program
    .command('agents')
    .description('agent identities for HTTP: each agent authenticates with its own bearer token');
  a.command('add <name>')
    .description("create (or rotate) an agent's token; the token is printed once and stored only as a hash")
    .option('--account <id>', 'account the agent trades (default ARBITER_ACCOUNT or "main")')
    .action(async (name: string, o) => {
      const problem = nameProblem('agent name', name) ?? (o.account ? nameProblem('--account', o.account) : null);
      if (problem) throw Object.assign(new Error(problem), { code: 'BAD_ARGUMENT' });
      await withContext({}, async (app) => {
        const token = newToken(AGENT_TOKEN_PREFIX);
        const account = o.account ?? app.settings.account;
        await app.deps.store.putAgent(name, tokenHash(token), account, app.deps.clock.now());
        await app.deps.store.ledgerAppend(
          'agent_added',
          name,
          JSON.stringify({ agent_id: name, account_id: account }),
          app.deps.clock.now(),
        );
        process.stderr.write(`agent ${name} (account ${account}): this token is shown once; store it now.\n`);
        printJson({ agent_id: name, account_id: account, token });
      });
    });
  a.command('list')
    .description('list agents (never their tokens)')
    .action(async () => {
      await withContext({}, async (app) => printJson({ agents: await app.deps.store.agents() }));
    });
}
