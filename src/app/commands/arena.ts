import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadSigner } from '../../adapters/runtime/keys.js';
import { RuntimeLayout } from '../../adapters/runtime/layout.js';
import type { Leaderboard } from '../../core/arena/index.js';
import { parseArenaOptions } from '../arena/options.js';
import { parsePredictionOptions, predictionReport, runPrediction } from '../arena/prediction.js';
import { liveArena, replayArena, runArena, writeReport } from '../arena/run.js';
import { verifyRunDir } from '../arena/verify-run.js';
import { CliError, printJson } from '../output.js';
import { loadSettings } from '../settings.js';
import { parseStudyOptions } from '../study/plan.js';
import { runStudy } from '../study/study.js';
import { pinnedKey } from './keys.js';

/** The installation's issuer key (ARBITER_SIGNING_KEY or ARBITER_HOME/keys/issuer.key): arena evidence is its. */
const issuer = () => loadSigner(new RuntimeLayout(loadSettings().home));

const collect = (value: string, previous: string[]) => [...previous, value];

function sharedOptions(c: Command): Command {
  return c
    .option(
      '--source <spec>',
      'market: synthetic | csv:PATH (funding file found beside it) | stock:PATH[@YYYY-MM-DD] (daily bars of a US stock on the NYSE calendar, spot only) | ccxt:VENUE:SYMBOL[@TF]',
    )
    .option('--venue <id>', "a venue's public candles through ccxt, no keys (same as --source ccxt:VENUE:SYMBOL@TF)")
    .option('--symbol <symbol>', 'with --venue: the market, e.g. BTC/USDT:USDT', 'BTC/USDT:USDT')
    .option('--timeframe <tf>', 'with --venue: 1m, 5m, 15m, 1h, 4h or 1d', '1h')
    .option('--seed <n>', 'seed of the synthetic market, the random agents and the bootstrap', '7')
    .option('--bars <n>', 'bars to trade (synthetic: generated; CSV and stock: at most this many)')
    .option(
      '--warmup <n>',
      'history bars every agent sees before the first traded bar (stock:PATH@DATE: the sessions before DATE)',
      '200',
    )
    .option('--agents <list>', 'built-ins: all | none | comma list of families or trial ids', 'all')
    .option('--agent-file <path>', 'your own agent module (repeatable)', collect, [])
    .option('--roster <file>', 'roster file (JSON): built-ins by name and LLM agents; replaces --agents')
    .option('--capital <usd>', 'starting capital of every agent', '10000')
    .option('--signing <mode>', 'checkpoint (sign the ledger every K decisions) | per-verdict', 'checkpoint')
    .option('--checkpoint-every <k>', 'decisions between signed ledger checkpoints', '1000')
    .option('--partitions <s>', 'CSCV blocks for the probability of backtest overfitting', '16')
    .option('--folds <n>', 'walk-forward folds (stability and the allocation comparison)', '4')
    .option('--floor <w>', 'trust allocator: least weight per agent', '0.02')
    .option('--cap <w>', 'trust allocator: most weight per agent', '0.25')
    .option('--bootstrap <n>', 'bootstrap resamples for the Sharpe confidence interval', '1000')
    .option('--funding <path>', 'funding-rate CSV for the perpetual')
    .option('--no-report', 'skip report.html')
    .option('--quiet', 'no progress on stderr');
}

function printBoard(dir: string, board: Leaderboard | null): void {
  if (board) {
    for (const r of board.rows.slice(0, 10)) {
      const sharpe = Number.isFinite(r.sharpe) ? r.sharpe.toFixed(2) : '—';
      const dsr = Number.isFinite(r.dsr) ? r.dsr.toFixed(3) : '—';
      const m = r.model;
      const cost = m
        ? `  ${m.input_tokens + m.output_tokens} tokens $${m.cost_usd.toFixed(4)}${m.priced ? '' : ' (no price)'}`
        : '';
      process.stderr.write(
        `${String(r.rank).padStart(3)} ${r.agent.padEnd(24)} DSR ${dsr.padStart(6)}  Sharpe ${sharpe.padStart(6)}  return ${(100 * r.total_return).toFixed(1).padStart(7)}%${r.luck ? '  (luck?)' : ''}${cost}\n`,
      );
    }
  }
  process.stdout.write(`${dir}\n`);
}

/** `--venue bybit --symbol BTC/USDT:USDT` is shorthand for `--source ccxt:bybit:BTC/USDT:USDT@1h`. */
function withSource(raw: Record<string, unknown>): Record<string, unknown> {
  const { venue, symbol, timeframe, ...rest } = raw;
  if (venue !== undefined) {
    if (rest.source !== undefined) throw new CliError('BAD_ARGUMENT', 'give --source or --venue, not both');
    return { ...rest, source: `ccxt:${String(venue)}:${String(symbol)}@${String(timeframe)}` };
  }
  if (rest.source === undefined)
    throw new CliError('BAD_ARGUMENT', 'a market is required: --source SPEC or --venue ID');
  return rest;
}

/** `arbiter arena run | live | report`: agents side by side on equal capital, ranked by overfit-aware statistics. */
export function registerArena(program: Command): void {
  const arena = program.command('arena').description('agents trade side by side on equal capital, ranked honestly');
  sharedOptions(arena.command('run').description('simulate a run as fast as it goes and write its directory'))
    .option('--out <dir>', 'output directory', 'runs/arena')
    .action(async (raw) => {
      const r = await runArena(parseArenaOptions(withSource(raw)), raw.out, issuer());
      printBoard(r.dir, r.board);
    });
  sharedOptions(arena.command('live').description('a resumable run paced bar by bar (Ctrl-C, then rerun to go on)'))
    .requiredOption('--state <dir>', 'state directory (store, progress, outputs)')
    .option('--bar-ms <ms>', 'wall milliseconds per bar (0: no pause)', '1000')
    .action(async (raw) => {
      let stop = false;
      const onSignal = () => {
        if (stop) process.exit(130);
        stop = true;
        process.stderr.write('\narena: stopping after this bar (Ctrl-C again to quit now)\n');
      };
      process.on('SIGINT', onSignal);
      try {
        const options = parseArenaOptions(withSource(raw));
        const r = await liveArena(options, raw.state, { barMs: Number(raw.barMs), stop: () => stop }, issuer());
        printBoard(r.dir, r.board);
        if (!r.finished) process.exitCode = 130;
      } finally {
        process.off('SIGINT', onSignal);
      }
    });
  arena
    .command('study')
    .description(
      'run the roster over many synthetic seeds and real windows, with a null control; per agent: CIs, DSR, verdict',
    )
    .option('--roster <file>', 'roster file (JSON): built-ins by name and LLM agents; replaces --agents')
    .option('--agents <list>', 'built-ins without a roster: all | comma list of families or trial ids', 'all')
    .option('--agent-file <path>', 'your own agent module (repeatable)', collect, [])
    .option('--seeds <n>', 'synthetic markets, seeds --seed … --seed + n − 1 (at least 2)', '20')
    .option('--seed <n>', 'first seed (markets, random agents, null control and the bootstrap)', '1')
    .option('--windows <n>', 'evenly spaced windows of the real candles (0: none)', '4')
    .option('--data <csv>', 'the real candles the windows and shuffled nulls come from (default: shipped BTCUSDT_1h)')
    .option('--bars <n>', 'bars traded in every run', '500')
    .option('--warmup <n>', 'history bars every agent sees before the first traded bar', '200')
    .option('--capital <usd>', 'starting capital of every agent', '10000')
    .option('--bootstrap <n>', 'bootstrap resamples of every confidence interval', '2000')
    .option('--jobs <n>', 'runs at the same time, each on a worker thread (default: the number of cores)')
    .option('--no-report', 'skip report.html')
    .option('--quiet', 'no progress on stderr')
    .requiredOption('--out <dir>', 'output directory (study.json, report.html)')
    .action(async (raw) => {
      const { out, ...rest } = raw as Record<string, unknown>;
      const r = await runStudy(parseStudyOptions(rest), String(out));
      if (!rest.quiet) for (const a of r.summary.agents) process.stderr.write(`${a.verdict.line}\n`);
      process.stdout.write(`${r.dir}\n`);
    });
  arena
    .command('verify <dir>')
    .description(
      "check a finished run's ledger, signed checkpoints and certificates against the issuer key; exit 1 if not",
    )
    .option('--pubkey <key>', 'pinned issuer key: base64 or a file holding it (default: this installation’s key)')
    .action(async (dir: string, o) => {
      const report = await verifyRunDir(resolve(dir), pinnedKey(o.pubkey));
      printJson(report);
      if (!report.ok) process.exitCode = 1;
    });
  arena
    .command('replay <run_dir>')
    .description('re-run a finished run from its own recordings (no model is called); exit 1 if they do not match')
    .requiredOption('--out <dir>', 'output directory of the replay')
    .option('--quiet', 'no leaderboard on stderr')
    .action(async (runDir: string, o) => {
      const r = await replayArena(runDir, o.out, issuer());
      if (!o.quiet) printBoard(r.dir, r.board);
      else process.stdout.write(`${r.dir}\n`);
      for (const p of r.problems) process.stderr.write(`${p}\n`);
      if (r.problems.length > 0) process.exitCode = 1;
    });
  arena
    .command('predict')
    .description('agents trade synthetic prediction markets to resolution; PnL and calibration (Brier, log score)')
    .option('--seed <n>', 'seed of the markets and the informed agent', '7')
    .option('--markets <n>', 'binary markets to generate', '6')
    .option('--steps <n>', 'hourly steps from listing to resolution', '200')
    .option('--capital <usd>', 'starting collateral (USDC) of every agent', '10000')
    .option('--json', 'the result as JSON instead of the text report')
    .action((o) => {
      const r = runPrediction(parsePredictionOptions(o));
      if (o.json) printJson(r);
      else process.stdout.write(predictionReport(r));
    });
  arena
    .command('report <dir>')
    .description('write a self-contained report.html for a run directory and print its path')
    .action((dir: string) => {
      process.stdout.write(`${writeReport(resolve(dir))}\n`);
    });
}
