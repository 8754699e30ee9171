import type { Home } from './homes.js';
import { runCli } from './processes.js';

/** What one `arbiter vet` process printed: the verdict envelope (stdout) and the execution report (stderr). */
export interface CliVerdict {
  readonly code: number | null;
  readonly decision: string | null;
  readonly reasons: readonly string[];
  readonly messages: readonly string[];
  readonly certificate: { readonly payload: Record<string, any> } | null;
  /** `{replayed, order, order_error}` from stderr, when the CLI printed one. */
  readonly execution: { replayed?: boolean; order?: Record<string, any> | null; order_error?: unknown } | null;
  readonly stderr: string;
}

export function parseCliVerdict(r: { code: number | null; out: string; err: string }): CliVerdict {
  let env: Record<string, any> | null = null;
  try {
    env = JSON.parse(r.out);
  } catch {
    env = null;
  }
  let execution: CliVerdict['execution'] = null;
  for (const line of r.err.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const j = JSON.parse(line);
      if ('replayed' in j || 'order' in j) execution = j;
    } catch {
      // not the report line
    }
  }
  return {
    code: r.code,
    decision: env?.decision ?? null,
    reasons: env?.reasons ?? [],
    messages: env?.messages ?? [],
    certificate: env?.certificate ?? null,
    execution,
    stderr: r.err,
  };
}

/** `arbiter vet …` as its own process (add `--execute` to trade). */
export async function cliVet(home: Home, args: readonly string[]): Promise<CliVerdict> {
  return parseCliVerdict(await runCli(home.env(), ['vet', ...args]));
}

/**
 * Starts `n` CLI processes at once (one spawn after another, no waiting between them) and waits for all of them.
 * `argsOf(i)` gives process i's arguments after `vet`.
 */
export function raceCli(home: Home, n: number, argsOf: (i: number) => readonly string[]): Promise<CliVerdict[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => cliVet(home, argsOf(i))));
}

/** `vet` arguments for a market buy of `notional` USD of `symbol` by `agent`, plus `extra` (e.g. `--execute`). */
export function buyArgs(agent: string, symbol: string, notional: number, ...extra: string[]): string[] {
  return ['--agent', agent, '--symbol', symbol, '--side', 'buy', '--notional', String(notional), ...extra];
}

/** n distinct whole-dollar amounts spread over [lo, hi]. */
export function spread(n: number, lo: number, hi: number): number[] {
  return Array.from({ length: n }, (_, i) => (n === 1 ? lo : Math.round(lo + (i * (hi - lo)) / (n - 1))));
}
