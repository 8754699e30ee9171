import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { type NodeSigner, nodeEd25519Verify } from '../../adapters/crypto/node-signer.js';
import { fileHalts, haltPathKind } from '../../adapters/runtime/halt-files.js';
import type { RuntimeLayout } from '../../adapters/runtime/layout.js';
import { loadMandate } from '../../adapters/runtime/mandate-file.js';
import type { ChainCheckpoint } from '../../core/ledger/chain.js';
import type { MandateLoad } from '../../core/mandate/types.js';
import { type ApiOptions, type ArenaSource, registerApi } from '../../transport/http/api/index.js';
import { defaultWebRoot } from '../../transport/http/dashboard-assets.js';
import { buildHttpApp } from '../../transport/http/server.js';
import type { McpMode } from '../../transport/mcp/context.js';
import { createArbiterMcp } from '../../transport/mcp/server.js';
import { loadAdminTokenHash } from '../admin-token.js';
import { ARENA_VENUE } from '../arena/assemble.js';
import { buildFileRoster } from '../arena/llm-roster.js';
import { readRosterFile } from '../arena/roster-file.js';
import { SERVE_SEASON_BARS, serveArena } from '../arena/serve-arena.js';
import { venueStartNow } from '../arena/sources.js';
import { type AppContext, createContext } from '../context.js';
import { createAdapters } from '../market.js';
import { nameProblem } from '../names.js';
import { assertLiveMandate, buildServices, mcpContext, type Services, startReconciler } from '../services.js';
import { loadSettings } from '../settings.js';
import { readStudyDir, type StudyFile } from '../study/study-file.js';
import { startHaltSync } from './halt.js';
import { ensurePaperMandate } from './mandate.js';

/**
 * The mandate `serve --arena` trades under: the runtime root's `live/arena/mandate.json` when there is one (so
 * its caps and `flatten_on_halt` are the operator's), else the built-in one sized to the starting capital.
 */
function arenaMandate(layout: RuntimeLayout): { mandate?: { load: MandateLoad; source: string } } {
  const path = layout.mandate(ARENA_VENUE);
  if (haltPathKind(path) === null) return {};
  return { mandate: { load: loadMandate(layout, ARENA_VENUE), source: 'live/arena/mandate.json' } };
}

/**
 * Where a served arena keeps its state: `--arena-state`, or for a venue feed (which always resumes) a folder of the
 * home named after the feed. Other sources without `--arena-state` live in memory.
 */
function arenaState(source: string, given: string | undefined, home: string): { state?: string } {
  if (given) return { state: given };
  const feed = /^ccxt:([a-z0-9]+):([^@]+)(?:@([0-9a-z]+))?$/.exec(source);
  if (!feed) return {};
  const name = `${feed[1]}-${feed[2]!.replace(/[^A-Za-z0-9]+/g, '_')}-${feed[3] ?? '1h'}`;
  return { state: join(home, 'arena', name) };
}

/** The runtime root's checkpoint mirror (catches a truncation that also removed the in-database checkpoints). */
function mirroredCheckpoints(app: AppContext): readonly ChainCheckpoint[] {
  const file = app.layout.checkpointFile();
  try {
    return existsSync(file) ? [JSON.parse(readFileSync(file, 'utf8')) as ChainCheckpoint] : [];
  } catch {
    return [];
  }
}

/** The REST API and dashboard over one wired context (also used by the HTTP and browser tests). */
export function httpApiOptions(
  app: AppContext,
  services: Services,
  opts: {
    adminTokenHash: string | null;
    arena?: ArenaSource;
    study?: StudyFile;
    webRoot?: string | null;
    processMetrics?: boolean;
  },
): ApiOptions {
  return {
    deps: app.deps,
    services,
    venue: app.settings.broker,
    mode: app.settings.mode,
    adminTokenHash: opts.adminTokenHash,
    ed25519Verify: nodeEd25519Verify,
    extraCheckpoints: () => mirroredCheckpoints(app),
    webRoot: opts.webRoot === undefined ? defaultWebRoot() : opts.webRoot,
    processMetrics: opts.processMetrics ?? false,
    ...(opts.arena ? { arena: opts.arena } : {}),
    ...(opts.study ? { study: opts.study } : {}),
  };
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('HTTP server: dashboard at /, REST API at /v1 (docs at /docs), Streamable HTTP MCP at /mcp')
    .option('--port <port>', 'port', '7070')
    .option('--host <host>', 'interface to bind (127.0.0.1 unless told otherwise)', '127.0.0.1')
    .option('--mode <mode>', 'readonly, paper (also called shadow) or live')
    .option('--allowed-host <name...>', 'extra Host names accepted (behind a proxy)')
    .option(
      '--arena <source>',
      'run a paper arena on this source (e.g. csv:data/BTCUSDT_1h.csv, or ccxt:bybit:BTC/USDT:USDT@1m: each bar once it has closed at the venue): every built-in agent, or those of --roster',
    )
    .option(
      '--arena-state <dir>',
      'with --arena: commit the arena here bar by bar so a restart resumes it (a venue feed always keeps one; default ARBITER_HOME/arena/VENUE-SYMBOL-TF)',
    )
    .option(
      '--arena-season-bars <n>',
      `with a venue feed (ccxt:…): bars per season; each season is written out and verifiable (arena verify) and the next starts at the next bar with equal capital under DIR/<n>/ (default ${SERVE_SEASON_BARS})`,
    )
    .option(
      '--roster <file>',
      'with --arena: the arena agents from a roster file, built-in and LLM agents (as arena run --roster)',
    )
    .option(
      '--study <dir>',
      'show a finished study on the dashboard: the --out folder of arena study (its study.json, read at startup)',
    )
    .option('--arena-start-after <ms>', 'wait before the first bar, for external agents to join_arena over MCP', '3000')
    .option(
      '--local-agent <id>',
      'requests without a bearer token act as this agent (loopback only; for clients that cannot send headers)',
    )
    .action(async (o) => {
      const localProblem = o.localAgent ? nameProblem('--local-agent', o.localAgent) : null;
      if (localProblem) throw Object.assign(new Error(localProblem), { code: 'BAD_ARGUMENT' });
      const port = Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65_535)
        throw Object.assign(new Error(`--port must be 0-65535; got ${o.port}`), { code: 'BAD_ARGUMENT' });
      if (o.arenaState && !o.arena)
        throw Object.assign(new Error('--arena-state needs --arena <source>'), { code: 'BAD_ARGUMENT' });
      const seasonBars = o.arenaSeasonBars === undefined ? SERVE_SEASON_BARS : Number(o.arenaSeasonBars);
      if (!Number.isInteger(seasonBars) || seasonBars < 1 || seasonBars > SERVE_SEASON_BARS)
        throw Object.assign(
          new Error(
            `--arena-season-bars must be a whole number from 1 to ${SERVE_SEASON_BARS}; got ${o.arenaSeasonBars}`,
          ),
          { code: 'BAD_ARGUMENT' },
        );
      if (o.arenaSeasonBars !== undefined && !(o.arena && venueStartNow(o.arena, 0) !== undefined))
        throw Object.assign(
          new Error('--arena-season-bars needs --arena on a venue feed (ccxt:VENUE:SYMBOL@TF); other sources end'),
          { code: 'BAD_ARGUMENT' },
        );
      if (o.roster && !o.arena)
        throw Object.assign(new Error('--roster needs --arena <source> (the roster is the arena’s agents)'), {
          code: 'BAD_ARGUMENT',
        });
      const settings = loadSettings(process.env, o.mode ? { mode: o.mode as McpMode } : {});
      // A wrong roster, or a model key that is not set, stops the server before it listens.
      const roster = o.roster
        ? {
            file: readRosterFile(o.roster),
            source: { kind: 'live' as const, env: process.env, secretsFile: settings.secretsFile },
          }
        : null;
      if (roster) buildFileRoster(roster.file, roster.source);
      const study = o.study ? readStudyDir(o.study) : null;
      if (settings.mode === 'paper') ensurePaperMandate(settings.home, settings.venue, settings.broker);
      const adapters = await createAdapters(settings);
      const app = await createContext(settings, { market: adapters.market, venues: adapters.venues });
      if (settings.mode === 'live') assertLiveMandate(app, settings.broker);
      const services = buildServices(app);
      const adminTokenHash = loadAdminTokenHash(app.layout);
      const arena = o.arena
        ? serveArena({
            source: o.arena,
            barMs: settings.barMs,
            startAfterMs: Number(o.arenaStartAfter),
            signer: app.deps.signer as NodeSigner,
            events: app.deps.events,
            log: (line) => process.stderr.write(`${line}\n`),
            ...arenaState(o.arena, o.arenaState, settings.home),
            ...arenaMandate(app.layout),
            // The installation's kill switch reaches the arena: its HALT files, and the halts in force before each bar.
            halts: { fileHalts: (v) => fileHalts(app.layout, v), inForce: () => services.halts.inForce() },
            ...(roster ? { roster } : {}),
            seasonBars,
          })
        : null;
      if (arena) services.halts.addEnforcer(arena.enforcer);
      const api = httpApiOptions(app, services, {
        adminTokenHash,
        processMetrics: true,
        ...(arena ? { arena: arena.runs } : {}),
        ...(study ? { study } : {}),
      });
      const http = await buildHttpApp({
        port,
        host: o.host,
        store: app.deps.store,
        venue: settings.broker,
        allowedHosts: o.allowedHost ?? [],
        localAgent: o.localAgent ? { agentId: o.localAgent, accountId: settings.account } : null,
        mcpLimits: {
          idleMs: settings.mcpSessionIdleMs,
          perAgent: settings.mcpSessionsPerAgent,
          calls: settings.mcpCalls,
        },
        makeMcp: (session) =>
          createArbiterMcp({
            ...mcpContext(app, services, session, settings.mode),
            ...(arena ? { arena: arena.hooks } : {}),
          }),
        extend: async (fastify, { mcpSessions }) => {
          await registerApi(fastify, {
            ...api,
            mcpSessions,
            onInternalError: (e) => process.stderr.write(`arbiter serve: internal error: ${e.message}\n`),
          });
        },
      });
      const stopReconciler = startReconciler(app, services);
      await services.halts.sync().catch(() => undefined);
      const stopHaltSync = startHaltSync(services.halts);
      let address: string;
      try {
        address = await http.app.listen({ port, host: o.host });
      } catch (e) {
        // Nothing may keep running (the arena, the reconciler) when the server could not start.
        stopReconciler();
        stopHaltSync();
        await arena?.stop().catch(() => undefined);
        await app.close();
        throw e;
      }
      process.stderr.write(
        `arbiter serve: ${address} (mode=${settings.mode}, venue=${settings.venue}, broker=${settings.broker}); dashboard ${address}/ · API docs ${address}/docs · MCP ${address}/mcp\n`,
      );
      const shutdown = async () => {
        stopReconciler();
        stopHaltSync();
        await arena?.stop().catch(() => undefined);
        await http.close();
        await app.ledger.checkpoint().catch(() => undefined);
        await app.close();
        process.exit(0);
      };
      process.on('SIGINT', () => void shutdown());
      process.on('SIGTERM', () => void shutdown());
    });
}
