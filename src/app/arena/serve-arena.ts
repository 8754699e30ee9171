import { setTimeout as sleep } from 'node:timers/promises';
import type { NodeSigner } from '../../adapters/crypto/node-signer.js';
import type { EventBus } from '../../ports/runtime.js';
import type { ArenaHooks } from '../../transport/mcp/context.js';
import { ArenaRuns } from './dashboard-source.js';
import { parseArenaOptions } from './options.js';
import { openArenaService } from './service.js';

export interface ServedArena {
  readonly runs: ArenaRuns;
  readonly hooks: ArenaHooks;
  stop(): Promise<void>;
}

/**
 * A paper arena inside `arbiter serve`: the built-in agents (plus any external agent that joins over MCP before
 * the start) trade the given source one bar every `barMs`, signed with the server's key, on the server's event
 * bus, so the dashboard shows verdicts, fills and the leaderboard moving.
 */
export function serveArena(opts: {
  readonly source: string;
  readonly barMs: number;
  readonly startAfterMs: number;
  readonly signer: NodeSigner;
  readonly events: EventBus;
  readonly state?: string;
  readonly log: (line: string) => void;
}): ServedArena {
  const runs = new ArenaRuns();
  const options = parseArenaOptions({
    source: opts.source,
    agents: 'all',
    signing: 'per-verdict',
    quiet: true,
    report: false,
  });
  const opening = openArenaService({
    options,
    deadlineMs: Math.max(100, Math.floor(opts.barMs * 0.8)),
    runs,
    signer: opts.signer,
    events: opts.events,
    ...(opts.state ? { state: opts.state } : {}),
  });
  let stopped = false;
  const loop = (async () => {
    const { service } = await opening;
    await sleep(opts.startAfterMs);
    const engine = await service.start();
    opts.log(`arena: ${engine.agentIds.length} agents on ${opts.source}, one bar every ${opts.barMs} ms`);
    while (!stopped) {
      const began = performance.now();
      const rec = await service.step();
      if (!rec) break;
      await sleep(Math.max(0, opts.barMs - (performance.now() - began)));
    }
    if (!stopped) {
      await engine.finish();
      opts.log('arena: run finished');
    }
  })().catch((e: Error) => opts.log(`arena: stopped: ${e.message}`));
  const hooks: ArenaHooks = {
    async join(agentId) {
      const { service } = await opening;
      return { joined: true, ...service.join(agentId) };
    },
    async observation(agentId) {
      const { service } = await opening;
      await service.nextRound();
      return { ...(service.observation(agentId) as unknown as Record<string, unknown>) };
    },
    async submit(agentId, intent) {
      const { service } = await opening;
      return { ...(await service.submit(agentId, intent)) } as Record<string, unknown>;
    },
  };
  return {
    runs,
    hooks,
    async stop() {
      stopped = true;
      await loop;
      await (await opening).close();
    },
  };
}
