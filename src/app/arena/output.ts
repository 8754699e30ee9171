import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Leaderboard } from '../../core/arena/index.js';
import type { ExchangeRecord } from '../../services/arena/llm-agent.js';
import { stableJson } from '../output.js';
import type { ArenaSetup, AssembledArena } from './assemble.js';
import type { ScoringOptions } from './results.js';
import type { RosterEntry } from './roster.js';
import type { RosterFile } from './roster-file.js';

const EXCHANGES = join('llm', 'exchanges.jsonl');

/**
 * A live run's model exchanges, appended to llm/exchanges.jsonl after each committed bar, so a killed and resumed
 * run keeps the recordings of the bars it had finished (a bar redone after a kill is recorded once: its first try
 * was never appended).
 */
export class ExchangeJournal {
  private written = 0;

  constructor(
    private readonly dir: string,
    resumed: boolean,
  ) {
    mkdirSync(join(dir, 'llm'), { recursive: true });
    if (!resumed) rmSync(join(dir, EXCHANGES), { force: true });
  }

  append(exchanges: readonly ExchangeRecord[]): void {
    if (exchanges.length > this.written)
      appendFileSync(join(this.dir, EXCHANGES), jsonl(exchanges.slice(this.written)));
    this.written = exchanges.length;
  }

  /** Every exchange the run recorded, in this process and before its resumptions. */
  all(): ExchangeRecord[] {
    const path = join(this.dir, EXCHANGES);
    if (!existsSync(path)) return [];
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as ExchangeRecord);
  }
}

/**
 * roster.json (the roster as parsed, defaults filled in, keys only named) and llm/exchanges.jsonl: every model
 * exchange, by bar, agent and attempt, which `arena replay` answers from.
 */
function writeModelExchanges(dir: string, roster: RosterFile, exchanges: readonly ExchangeRecord[]): void {
  writeFileSync(join(dir, 'roster.json'), stableJson(roster));
  mkdirSync(join(dir, 'llm'), { recursive: true });
  const sorted = [...exchanges].sort(
    (a, b) => a.bar - b.bar || (a.agent < b.agent ? -1 : a.agent > b.agent ? 1 : 0) || a.attempt - b.attempt,
  );
  writeFileSync(join(dir, EXCHANGES), jsonl(sorted));
}

const jsonl = (rows: readonly unknown[]) => rows.map((r) => `${JSON.stringify(r)}\n`).join('');

export interface RunDescription {
  readonly command: string;
  readonly setup: ArenaSetup;
  readonly scoring: ScoringOptions;
  readonly agents: string;
  readonly agentFiles: readonly string[];
  readonly funding?: string;
  /** A roster file's run: the roster (keys are only named, never held) and every model exchange. */
  readonly llm?: { readonly roster: RosterFile; readonly exchanges: readonly ExchangeRecord[] };
}

/**
 * Writes a finished run's directory. Every file is a pure function of the run (no wall time, fixed key and row
 * order), so the same seed and data give byte-identical files.
 */
export async function writeRun(
  dir: string,
  a: AssembledArena,
  roster: readonly RosterEntry[],
  board: Leaderboard,
  d: RunDescription,
) {
  const { engine, store, signer, source } = a;
  const f = source.frame;
  mkdirSync(dir, { recursive: true });
  rmSync(join(dir, 'equity'), { recursive: true, force: true });
  mkdirSync(join(dir, 'equity'));
  const tf = f.timeframeMs;
  // Each point's time: the bar's open, and after the last bar its close (a session's close where the market keeps
  // sessions: its bars are not evenly spaced).
  const lastClose = source.sessions
    ? Date.parse(source.sessions.last_close)
    : f.spot.ts[engine.config.endBar - 1]! + tf;
  const pointTs = (k: number) => {
    const i = engine.config.startBar + k;
    return i < engine.config.endBar ? f.spot.ts[i]! : lastClose;
  };
  engine.agentIds.forEach((id, i) => {
    const e = engine.equity[i]!;
    let peak = 0;
    const lines = ['bar,ts,equity,drawdown'];
    e.forEach((v, k) => {
      peak = Math.max(peak, v);
      lines.push(`${engine.config.startBar + k},${pointTs(k)},${v},${peak > 0 ? 1 - v / peak : 0}`);
    });
    writeFileSync(join(dir, 'equity', `${id}.csv`), `${lines.join('\n')}\n`);
  });
  const market = ['ts,open,high,low,close,volume'];
  for (let i = engine.config.startBar; i < engine.config.endBar; i++) {
    market.push(
      `${f.spot.ts[i]},${f.spot.open[i]},${f.spot.high[i]},${f.spot.low[i]},${f.spot.close[i]},${f.spot.volume[i]}`,
    );
  }
  writeFileSync(join(dir, 'market.csv'), `${market.join('\n')}\n`);
  // A venue feed's bars as fetched: the replay rebuilds the same market from them, with no venue.
  if (source.recording) writeFileSync(join(dir, 'source.json'), `${JSON.stringify(source.recording)}\n`);
  writeFileSync(join(dir, 'trades.jsonl'), jsonl(engine.trades));
  writeFileSync(join(dir, 'decisions.jsonl'), jsonl(engine.traces));
  const records: string[] = [];
  for await (const r of a.parts.ledger.records()) records.push(`${JSON.stringify(r)}\n`);
  writeFileSync(join(dir, 'ledger.jsonl'), records.join(''));
  const checkpoints = await store.checkpoints();
  writeFileSync(join(dir, 'checkpoints.json'), stableJson(checkpoints));
  writeFileSync(join(dir, 'leaderboard.json'), stableJson(board));
  if (d.llm) writeModelExchanges(dir, d.llm.roster, d.llm.exchanges);
  const head = await store.ledgerHead();
  const { setup } = d;
  writeFileSync(
    join(dir, 'run.json'),
    stableJson({
      arena: 1,
      command: d.command,
      config: {
        source: setup.source,
        seed: setup.seed,
        bars: engine.config.endBar - engine.config.startBar,
        warmup: engine.config.startBar,
        capital: setup.capital,
        agents: d.agents,
        agent_files: d.agentFiles,
        ...(d.llm ? { roster: 'roster.json' } : {}),
        ...(d.funding === undefined ? {} : { funding: d.funding }),
        signing: setup.signing,
        checkpoint_every: setup.checkpointEvery,
        scoring: d.scoring,
      },
      data: {
        ...source.data,
        timeframe_ms: tf,
        bars_in_source: f.length,
        start_bar: engine.config.startBar,
        end_bar: engine.config.endBar,
        first_ts: new Date(f.spot.ts[engine.config.startBar]!).toISOString(),
        last_ts: new Date(lastClose).toISOString(),
      },
      ...(source.sessions ? { sessions: source.sessions } : {}),
      trials: roster.map((r) => ({ id: r.id, family: r.family, params: r.params, benchmark: r.benchmark })),
      issuer: {
        key_id: signer.keyId,
        public_key_hex: Buffer.from(signer.publicKey).toString('hex'),
        key: 'the installation issuer key (arbiter pubkey); verify with: arbiter arena verify DIR',
      },
      ledger: { records: head.count, head_hash: head.head_hash, checkpoints: checkpoints.length },
      reconciliation: { misses: engine.books.mismatches, largest_miss: engine.books.largestMiss },
    }),
  );
}
