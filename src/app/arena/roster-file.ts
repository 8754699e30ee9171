import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_PRICES } from '../../core/llm/cost.js';
import { CliError } from '../output.js';

const AGENT_ID = /^[a-z0-9][a-z0-9._-]{0,39}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Model spend limits: calls, tokens (input + output) and USD; a limit left out is no limit. */
const limits = z
  .object({
    calls: z.number().int().min(0).optional(),
    tokens: z.number().int().min(0).optional(),
    usd: z.number().min(0).finite().optional(),
  })
  .strict();

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

const temperature = z.number().min(0).max(2);
const maxTokens = z.number().int().min(1).max(64_000);
const seed = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1);

/** A debate or persona role on its own model: any field left out is the agent's. */
const roleModel = z
  .object({
    provider: z.enum(['openai-compatible', 'anthropic']).optional(),
    base_url: baseUrl.optional(),
    model: z.string().min(1).max(200).optional(),
    api_key_env: z.string().regex(ENV_NAME, 'must be an environment variable name (letters, digits, _)').optional(),
    temperature: temperature.optional(),
    max_tokens: maxTokens.optional(),
    seed: seed.optional(),
    price: price.optional(),
  })
  .strict();

export type RoleModelEntry = z.infer<typeof roleModel>;

export const STYLES = ['decide', 'tool', 'debate', 'persona'] as const;

/** An LLM agent as a person writes it in a roster file. */
export const llmEntry = z
  .object({
    id: z.string().regex(AGENT_ID, `must match ${AGENT_ID}`),
    kind: z.literal('llm'),
    style: z.enum(STYLES).default('decide'),
    max_tool_calls: z.number().int().min(1).max(50).optional(),
    rounds: z.number().int().min(1).max(5).optional(),
    roles: z
      .object({
        bull: roleModel.optional(),
        bear: roleModel.optional(),
        risk: roleModel.optional(),
        judge: roleModel.optional(),
      })
      .strict()
      .optional(),
    personas: z
      .array(
        roleModel.extend({
          name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'must match ^[a-z0-9][a-z0-9-]{0,31}$'),
          brief: z.string().min(1).max(500),
        }),
      )
      .min(2)
      .max(7)
      .optional(),
    decision: z.enum(['vote', 'judge']).optional(),
    judge: roleModel.optional(),
    provider: z.enum(['openai-compatible', 'anthropic']),
    base_url: baseUrl.optional(),
    model: z.string().min(1).max(200),
    api_key_env: z.string().regex(ENV_NAME, 'must be an environment variable name (letters, digits, _)'),
    temperature: temperature.optional(),
    max_tokens: maxTokens.default(600),
    seed: seed.optional(),
    deadline_ms: z.number().int().min(100).max(600_000).default(30_000),
    retries: z.number().int().min(0).max(10).default(2),
    backoff_ms: z.number().int().min(0).max(60_000).default(500),
    budget: z
      .object({
        ...limits.shape,
        per_day: limits.optional(),
      })
      .strict()
      .default({}),
    price: price.optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    const only = (field: keyof typeof e, style: string, ok: boolean) => {
      if (e[field] !== undefined && !ok)
        ctx.addIssue({ code: 'custom', path: [field], message: `only for style ${style}` });
    };
    only('max_tool_calls', '"tool"', e.style === 'tool');
    only('rounds', '"debate"', e.style === 'debate');
    only('roles', '"debate"', e.style === 'debate');
    only('personas', '"persona"', e.style === 'persona');
    only('decision', '"persona"', e.style === 'persona');
    only('judge', '"persona" with decision "judge"', e.style === 'persona' && e.decision === 'judge');
    if (e.style === 'persona' && e.personas === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['personas'],
        message: 'required for style "persona" (2 to 7 of {name, brief})',
      });
    const roles: [PropertyKey[], RoleModelEntry][] = [
      ...Object.entries(e.roles ?? {}).map(([k, r]): [PropertyKey[], RoleModelEntry] => [['roles', k], r!]),
      ...(e.personas ?? []).map((r, i): [PropertyKey[], RoleModelEntry] => [['personas', i], r]),
      ...(e.judge ? [[['judge'], e.judge] as [PropertyKey[], RoleModelEntry]] : []),
    ];
    for (const [path, r] of roles) {
      if ((r.provider ?? e.provider) !== 'anthropic') continue;
      if (r.seed !== undefined)
        ctx.addIssue({ code: 'custom', path: [...path, 'seed'], message: 'Anthropic takes no seed; remove it' });
      if ((r.temperature ?? 0) > 1)
        ctx.addIssue({ code: 'custom', path: [...path, 'temperature'], message: 'Anthropic accepts 0 to 1' });
    }
    const names = (e.personas ?? []).map((p) => p.name);
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice)
      ctx.addIssue({ code: 'custom', path: ['personas'], message: `name ${JSON.stringify(twice)} appears twice` });
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
