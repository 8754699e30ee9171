/**
 * The production firewall path under concurrent callers, for the SQLite crash test: `withContext` wires the app
 * exactly as `arbiter serve` does (SQLite under ARBITER_HOME, group commit, background checkpoints), then CALLERS
 * loop orders (`vet --execute`) until N verdicts are decided, printing `progress <count>` every 100. The test's
 * mandate refuses them (a refusal is recorded — verdict, ledger record, audit row — and sends nothing).
 * Run: node --import tsx firewall-storm-worker.ts <agentPrefix> <N> <CALLERS>
 */
import { withContext } from '../../src/app/run.js';

const [prefix = 'w', total = '1000', callers = '16'] = process.argv.slice(2);
const N = Number(total);
let next = 0;
let done = 0;
await withContext({}, async (app) => {
  await Promise.all(
    Array.from({ length: Number(callers) }, async (_, c) => {
      for (let i = next++; i < N; i = next++) {
        await app.firewall.vet(
          { symbol: 'BTC/USDT', side: 'buy', notional: 20 + (i % 13), client_order_id: `${prefix}-${i}` },
          { agentId: `${prefix}${c % 4}`, accountId: 'main', venue: 'paper', sessionId: `storm-${prefix}` },
          { execute: true, remoteTool: 'storm' },
        );
        done += 1;
        if (done % 100 === 0) process.stdout.write(`progress ${done}\n`);
      }
    }),
  );
});
process.stdout.write(`done ${done}\n`);
