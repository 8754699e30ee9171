import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { BIN } from '../../support/cli.js';
import type { Home } from './homes.js';
import { onCleanup, type Serve } from './processes.js';
import { cliVet } from './race.js';

/** What an agent learns from one vet or order, whichever door it used. */
export interface Answer {
  readonly decision: string | null;
  readonly reasons: readonly string[];
  readonly messages: readonly string[];
  readonly replayed: boolean | null;
  readonly order: Record<string, any> | null;
  readonly certificate: { readonly payload: Record<string, any> } | null;
  /** The raw answer, for assertion messages. */
  readonly raw: string;
}

export type Intent = Record<string, unknown>;

/** One way in: MCP over stdio, MCP over Streamable HTTP, the REST API or the CLI. */
export interface Door {
  readonly name: string;
  /** A dry run: `vet_trade`, `POST /v1/vet`, `arbiter vet`. */
  vet(intent: Intent): Promise<Answer>;
  /** The real order: `place_order`, `POST /v1/orders`, `arbiter vet --execute`. */
  place(intent: Intent): Promise<Answer>;
}

function answerOf(body: Record<string, any> | null, raw: string): Answer {
  return {
    decision: body?.decision ?? null,
    reasons: body?.reasons ?? [],
    messages: body?.messages ?? [],
    replayed: typeof body?.replayed === 'boolean' ? body.replayed : null,
    order: body?.order ?? null,
    certificate: body?.certificate ?? null,
    raw: raw.slice(0, 2_000),
  };
}

/** Bearer-token JSON over HTTP; never throws on an HTTP status (the status is part of what is asserted). */
export async function http(
  serve: Serve,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
): Promise<{ status: number; json: any; text: string }> {
  const r = await fetch(`${serve.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await r.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: r.status, json, text };
}

export function httpDoor(serve: Serve, token: string): Door {
  const call = async (path: string, intent: Intent) => {
    const r = await http(serve, 'POST', path, token, intent);
    return answerOf(r.status === 200 ? r.json : null, `HTTP ${r.status} ${r.text}`);
  };
  return { name: 'HTTP REST', vet: (i) => call('/v1/vet', i), place: (i) => call('/v1/orders', i) };
}

function toolAnswer(r: CallToolResult): Answer {
  const text = r.content?.find((c) => c.type === 'text')?.text ?? '';
  let body = (r.structuredContent as Record<string, any> | undefined) ?? null;
  if (!body) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  return answerOf(body, text);
}

function mcpDoor(name: string, client: Client): Door {
  // The battery compares certificates across doors, so it asks for them inline (by default they are a resource).
  const call = async (tool: string, intent: Intent) =>
    toolAnswer(
      (await client.callTool({ name: tool, arguments: { ...intent, include_certificate: true } })) as CallToolResult,
    );
  return { name, vet: (i) => call('vet_trade', i), place: (i) => call('place_order', i) };
}

/** The SDK's client over Streamable HTTP to `serve`'s /mcp, as the token's agent. */
export async function mcpHttpClient(serve: Serve, token: string): Promise<Client> {
  const client = new Client({ name: 'seams', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${serve.url}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  onCleanup(() => client.close());
  return client;
}

export async function mcpHttpDoor(serve: Serve, token: string): Promise<Door> {
  return mcpDoor('MCP over Streamable HTTP', await mcpHttpClient(serve, token));
}

/** The SDK's client over stdio: it starts `arbiter mcp --agent AGENT` as its own process. */
export async function mcpStdioDoor(home: Home, agent: string): Promise<Door> {
  const client = new Client({ name: 'seams', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'mcp', '--agent', agent],
      env: home.env(),
      stderr: 'ignore',
    }),
  );
  onCleanup(() => client.close());
  return mcpDoor('MCP over stdio', client);
}

function cliArgs(intent: Intent): string[] {
  const flags: Record<string, string> = {
    symbol: '--symbol',
    side: '--side',
    notional: '--notional',
    quantity: '--quantity',
    limit_price: '--limit-price',
    type: '--type',
    time_in_force: '--tif',
    client_order_id: '--client-order-id',
  };
  const args: string[] = [];
  for (const [k, v] of Object.entries(intent)) {
    const flag = flags[k];
    if (!flag) throw new Error(`the CLI door has no flag for ${k}`);
    args.push(flag, String(v));
  }
  return args;
}

export function cliDoor(home: Home, agent: string): Door {
  const call = async (intent: Intent, execute: boolean) => {
    const r = await cliVet(home, ['--agent', agent, ...cliArgs(intent), ...(execute ? ['--execute'] : [])]);
    return {
      decision: r.decision,
      reasons: r.reasons,
      messages: r.messages,
      // Not signed, so the CLI reports it on stderr; no report means nothing was replayed or sent.
      replayed: r.execution?.replayed ?? (r.decision ? false : null),
      order: r.execution?.order ?? null,
      certificate: r.certificate,
      raw: `exit ${r.code}; stderr ${r.stderr.slice(0, 1_000)}`,
    } satisfies Answer;
  };
  return { name: 'the CLI', vet: (i) => call(i, false), place: (i) => call(i, true) };
}

/** One line about an answer for assertion messages. */
export function describeAnswer(a: Answer): string {
  return `${a.decision ?? 'no verdict'} [${a.reasons.join(', ')}] replayed=${a.replayed} order=${
    a.order ? `${a.order.orderId}/${a.order.status}` : 'null'
  }${a.decision ? '' : ` (${a.raw.slice(0, 300)})`}`;
}
