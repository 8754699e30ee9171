import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stableJson } from '../output.js';
import { loadSettings } from '../settings.js';
import { renderStudy } from './html.js';
import { planStudy, type StudyOptions } from './plan.js';
import { defaultJobs, runAll } from './pool.js';
import { runQueued } from './queue.js';
import { type StudySummary, summarise } from './summary.js';

export interface StudyResult {
  readonly dir: string;
  readonly summary: StudySummary;
}

/**
 * `arena study`: plans the runs, runs them (over `jobs` threads, or through the PostgreSQL queue when
 * ARBITER_DATABASE_URL is set), writes study.json and report.html in `out`. */
export async function runStudy(o: StudyOptions, out: string): Promise<StudyResult> {
  const dir = resolve(out);
  mkdirSync(dir, { recursive: true });
  const specs = await planStudy(o);
  const jobs = o.jobs ?? defaultJobs();
  const url = loadSettings().databaseUrl;
  const how = url ? 'through the queue' : `${jobs} at a time`;
  const progress =
    o.quiet || !process.stderr.isTTY
      ? undefined
      : (done: number) => process.stderr.write(`\rstudy: ${done}/${specs.length} runs (${how})`);
  // With a database the runs go to `arbiter worker` processes through pg-boss; without, to this machine's cores.
  const outcomes = url ? await runQueued(url, o, specs, progress) : await runAll(o, specs, jobs, progress);
  if (progress) process.stderr.write('\n');
  const summary = summarise(o, specs, outcomes);
  writeFileSync(join(dir, 'study.json'), stableJson(summary));
  if (o.report) writeFileSync(join(dir, 'report.html'), renderStudy(summary));
  return { dir, summary };
}
