import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CliError } from '../output.js';

const ci = z.tuple([z.number().nullable(), z.number().nullable()]);

/** The part of study.json the dashboard's study panel reads; the rest is passed through as written. */
const studyFile = z
  .object({
    study: z
      .object({ runs: z.number(), null_runs: z.number(), trials: z.number(), verdict_rule: z.string() })
      .passthrough(),
    agents: z
      .array(
        z
          .object({
            agent: z.string(),
            return: z.object({ mean: z.number().nullable(), ci95: ci }).passthrough(),
            sharpe: z.object({ mean: z.number().nullable(), ci95: ci }).passthrough(),
            dsr: z.number().nullable(),
            null_control: z.object({ luck_share: z.number().nullable() }).passthrough(),
            verdict: z.object({ distinguishable: z.boolean(), line: z.string() }).passthrough(),
          })
          .passthrough(),
      )
      .min(1),
  })
  .passthrough();

export type StudyFile = z.infer<typeof studyFile>;

/**
 * The study.json of an `arena study --out DIR` folder, for `serve --study DIR`. A missing file, bad JSON or a file
 * without the study's fields is refused naming what was wrong (a study.json written before `llm` existed still
 * loads: its agents show no model spend).
 */
export function readStudyDir(dir: string): StudyFile {
  const path = join(dir, 'study.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new CliError(
      'STUDY_INVALID',
      `--study: ${path}: not readable JSON (${(e as Error).message}); give the --out folder of arena study`,
    );
  }
  const r = studyFile.safeParse(raw);
  if (!r.success) {
    const first = r.error.issues[0]!;
    throw new CliError(
      'STUDY_INVALID',
      `--study: ${path}: ${first.path.join('.') || '(top)'}: ${first.message} (expected the study.json arena study writes)`,
    );
  }
  return r.data;
}
