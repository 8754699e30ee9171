import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { isJSONRPCRequest, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** One agent's call times in a window: `times[head..]` are the last minute's, `times[sec..]` the last second's. */
interface Window {
  times: number[];
  head: number;
  sec: number;
}

/**
 * Per-agent sliding-window limit on MCP requests (separate from the firewall's order throttle). Each call is
 * O(1) amortised: two cursors move forward over the agent's sorted call times instead of filtering the window.
 */
export class CallThrottle {
  private readonly calls = new Map<string, Window>();
  constructor(
    private readonly perSecond: number,
    private readonly perMinute: number,
  ) {}

  /** Where the window's cursors are at `now` (computed, not stored) and the time the call would be recorded at. */
  private position(w: Window, now: number): { t: number; head: number; sec: number } {
    const times = w.times;
    // A clock that steps back is treated as standing still, so the times stay sorted (and counted no shorter).
    const t = times.length > 0 ? Math.max(now, times[times.length - 1]!) : now;
    let head = w.head;
    while (head < times.length && times[head]! <= t - 60_000) head += 1;
    let sec = Math.max(w.sec, head);
    while (sec < times.length && times[sec]! <= t - 1_000) sec += 1;
    return { t, head, sec };
  }

  private refusal(w: Window, head: number, sec: number): string | null {
    if (w.times.length - sec >= this.perSecond) return `THROTTLE_MCP_CALLS: per_second=${this.perSecond}`;
    if (w.times.length - head >= this.perMinute) return `THROTTLE_MCP_CALLS: per_minute=${this.perMinute}`;
    return null;
  }

  /** The reason a call would be refused now, without recording one. */
  peek(agentId: string, now: number): string | null {
    const w = this.calls.get(agentId) ?? { times: [], head: 0, sec: 0 };
    const { head, sec } = this.position(w, now);
    return this.refusal(w, head, sec);
  }

  /** Records a call; returns a reason when the agent is over its budget. */
  take(agentId: string, now: number): string | null {
    let w = this.calls.get(agentId);
    if (!w) {
      w = { times: [], head: 0, sec: 0 };
      this.calls.set(agentId, w);
    }
    const times = w.times;
    const { t, head, sec } = this.position(w, now);
    w.head = head;
    w.sec = sec;
    const over = this.refusal(w, head, sec);
    if (over) return over;
    times.push(t);
    // Drop expired times once they are most of the array (amortised O(1)).
    if (w.head >= 1_024 && w.head * 2 >= times.length) {
      times.splice(0, w.head);
      w.sec -= w.head;
      w.head = 0;
    }
    return null;
  }
}

/** The JSON-RPC error code of a request refused for the agent's call budget (in the server-error range). */
export const THROTTLED_CODE = -32029;

/**
 * Puts every request that reaches `transport` on `agentId`'s budget, whatever the method: tools, resources,
 * prompts, lists, even initialize. The budget is shared by all the sessions of an agent in this server (pass one
 * CallThrottle to every session). Over budget, a tool call gets a tool result with `isError` and the reason (a
 * refusal is data for an agent to read), any other request a JSON-RPC error naming THROTTLE_MCP_CALLS.
 * Notifications and responses are not requests and are not counted. Call after `server.connect(transport)`.
 */
export function meterRequests(transport: Transport, budget: CallThrottle, agentId: string, now: () => number): void {
  const inner = transport.onmessage;
  if (!inner) throw new Error('meterRequests: connect the server to the transport first');
  transport.onmessage = (message, extra) => {
    if (!isJSONRPCRequest(message)) return inner(message, extra);
    const over = budget.take(agentId, now());
    if (over === null) return inner(message, extra);
    const answer: JSONRPCMessage =
      message.method === 'tools/call'
        ? {
            jsonrpc: '2.0',
            id: message.id,
            result: {
              content: [{ type: 'text', text: JSON.stringify({ error: 'THROTTLE_MCP_CALLS', message: over }) }],
              isError: true,
            },
          }
        : { jsonrpc: '2.0', id: message.id, error: { code: THROTTLED_CODE, message: over } };
    void transport.send(answer).catch(() => undefined);
  };
}
