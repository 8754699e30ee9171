import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_PRICES } from '../../core/llm/cost.js';
import { CliError } from '../output.js';

const AGENT_ID = /^[a-z0-9][a-z0-9._-]{0,39}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const price = z
  .object({ input_per_million: z.number().min(0).finite(), output_per_million: z.number().min(0).finite() })
  .strict();

const baseUrl = z
  .string()
  .url()
  .refine((u) => /^https?:$/.test(new URL(u).protocol), 'must be an http:// or https:// URL')
  .refine((u) => {
    const x = new URL(u);
    return x.username === '' && x.password === '';
  }, 'must not carry credentials (put the key in the variable named by api_key_env)')
  .refine((u) => {
    const x = new URL(u);
    return x.search === '' && x.hash === '';
  }, 'must not carry a query or fragment (a key in the URL would be recorded with every exchange)');

/** An LLM agent as a person writes it in a roster file. */
export const llmEntry = z
  .object({
    id: z.string().regex(AGENT_ID, `must match ${AGENT_ID}`),
    kind: z.literal('llm'),
    style: z
      .string()
      .refine(
        (s) => s === 'decide' || s === 'tool',
        'accepted "decide" and "tool" (debate and persona are not built yet)',
      )
      .default('decide'),
    max_tool_calls: z.number().int().min(1).max(50).optional(),
    provider: z.enum(['openai-compatible', 'anthropic']),
    base_url: baseUrl.optional(),
    model: z.string().min(1).max(200),
    api_key_env: z.string().regex(ENV_NAME, 'must be an environment variable name (letters, digits, _)'),
    temperature: z.number().min(0).max(2).optional(),
    max_tokens: z.number().int().min(1).max(64_000).default(600),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .optional(),
    deadline_ms: z.number().int().min(100).max(600_000).default(30_000),
    retries: z.number().int().min(0).max(10).default(2),
    backoff_ms: z.number().int().min(0).max(60_000).default(500),
    budget: z
      .object({
        calls: z.number().int().min(0).optional(),
        tokens: z.number().int().min(0).optional(),
        usd: z.number().min(0).finite().optional(),
      })
      .strict()
      .default({}),
    price: price.optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (e.max_tool_calls !== undefined && e.style !== 'tool')
      ctx.addIssue({ code: 'custom', path: ['max_tool_calls'], message: 'only for style "tool"' });
    if (e.provider === 'anthropic' && e.seed !== undefined)
      ctx.addIssue({ code: 'custom', path: ['seed'], message: 'Anthropic takes no seed; remove it' });
    if (e.provider === 'anthropic' && e.temperature !== undefined && e.temperature > 1)
      ctx.addIssue({ code: 'custom', path: ['temperature'], message: 'Anthropic accepts 0 to 1' });
  });

export type LlmEntry = z.infer<typeof llmEntry>;

const builtinName = z.string().min(1);

/** `{"agents": ["buy-hold", {"id": …, "kind": "llm", …}], "prices": {model: {…}}, "concurrency": 8}` */
export const rosterFile = z
  .object({
    agents: z.array(z.union([builtinName, llmEntry])).min(1),
    prices: z.record(z.string().min(1), price).default({}),
    concurrency: z.number().int().min(1).max(256).default(8),
  })
  .strict();

export type RosterFile = z.infer<typeof rosterFile>;

export const DEFAULT_BASE_URL: Record<LlmEntry['provider'], string> = {
  'openai-compatible': 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
};

/** The issue of the entry the union failed on: the object branch's, when the entry is an object. */
function describe(issues: readonly z.core.$ZodIssue[], raw: unknown): string[] {
  return issues.flatMap((i) => {
    if (i.code === 'invalid_union' && i.path[0] === 'agents') {
      const entry = (raw as { agents: unknown[] }).agents[i.path[1] as number];
      if (entry !== null && typeof entry === 'object') {
        const objectBranch = i.errors[1] ?? [];
        return describe(
          objectBranch.map((x) => ({ ...x, path: [...i.path, ...x.path] })),
          raw,
        );
      }
      return [`${fieldPath(i.path)}: must be a built-in agent name or an LLM agent object`];
    }
    return [`${fieldPath(i.path)}: ${i.message}`];
  });
}

const fieldPath = (path: readonly PropertyKey[]) =>
  path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${String(k)}` : String(k)), '') ||
  '(file)';

/** Reads and checks a roster file; every problem is reported at once, each naming its field. */
export function readRosterFile(path: string): RosterFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new CliError('ROSTER_INVALID', `${path}: not readable JSON (${(e as Error).message})`);
  }
  return parseRoster(raw, path);
}

export function parseRoster(raw: unknown, where = 'roster'): RosterFile {
  const r = rosterFile.safeParse(raw);
  if (!r.success) throw new CliError('ROSTER_INVALID', `${where}: ${describe(r.error.issues, raw).join('; ')}`);
  const ids = r.data.agents.map((a) => (typeof a === 'string' ? null : a.id)).filter((x) => x !== null);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new CliError('ROSTER_INVALID', `${where}: agents: id ${JSON.stringify(dup)} appears twice`);
  return r.data;
}

/** The price of an entry's model: its own, else the roster's table, else the built-in list, else unknown. */
export function priceOf(e: LlmEntry, roster: RosterFile) {
  return e.price ?? roster.prices[e.model] ?? DEFAULT_PRICES[e.model] ?? null;
}
